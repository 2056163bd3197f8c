/* A worksheet's cells from its XML, in one pass, as the rows calamine gives (pipeline/readers/
 * sheetxml/scan.py is the same reading in Python, and says which XML is read: anything else
 * returns None and the workbook is read by calamine or openpyxl instead).
 *
 * cells(xml, strings, styles, limit) -> list of rows | None
 * strings(xml) -> list of str | None   (a sharedStrings part)
 *
 * Memory is bounded: the cells found are kept compactly, and no more of them than the rows
 * laid out could hold: (last row + 1) x (last column + 1) <= limit, checked as each is found
 * (both only grow, as cells come in order).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <stdint.h>
#include <string.h>

#define MAX_ROW 1048576u
#define MAX_COL 16384u

typedef struct {
    uint32_t row, col;
    PyObject *value; /* a new reference */
} Cell;

typedef struct {
    Cell *items;
    size_t len, cap;
} Cells;

typedef struct {
    const char *p, *end;
} Cursor;

/* Byte classes, filled once: where an attribute's name stops; what text must look at. */
static unsigned char NAME_STOP[256];
enum { TEXT_ENTITY = 1, TEXT_ODD = 2, TEXT_UNDERSCORE = 4 };
static unsigned char TEXT_CLASS[256];

static void fill_tables(void) {
    const char *stops = "= >/\t\n\r<\"'";
    for (const char *s = stops; *s; s++) NAME_STOP[(unsigned char)*s] = 1;
    for (int ch = 0; ch < 0x20; ch++)
        if (ch != '\n' && ch != '\t') TEXT_CLASS[ch] = TEXT_ODD;
    TEXT_CLASS[0x7f] = TEXT_ODD;
    TEXT_CLASS['&'] = TEXT_ENTITY;
    TEXT_CLASS['_'] = TEXT_UNDERSCORE;
}

static void cells_free(Cells *cells) {
    for (size_t i = 0; i < cells->len; i++) Py_XDECREF(cells->items[i].value);
    PyMem_Free(cells->items);
    cells->items = NULL;
    cells->len = cells->cap = 0;
}

static int cells_push(Cells *cells, uint32_t row, uint32_t col, PyObject *value) {
    if (cells->len == cells->cap) {
        size_t cap = cells->cap ? cells->cap * 2 : 1024;
        Cell *grown = PyMem_Realloc(cells->items, cap * sizeof(Cell));
        if (!grown) {
            Py_DECREF(value);
            PyErr_NoMemory();
            return -1;
        }
        cells->items = grown;
        cells->cap = cap;
    }
    cells->items[cells->len++] = (Cell){row, col, value};
    return 0;
}

static int starts(Cursor *c, const char *text) {
    size_t n = strlen(text);
    return (size_t)(c->end - c->p) >= n && memcmp(c->p, text, n) == 0;
}

static void skip_space(Cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r'))
        c->p++;
}

/* An attribute: name="value" (double quotes, no space around '='). 1 read, 0 the tag ends
 * ('>' or '/>', not consumed), -1 odd. */
static int attribute(Cursor *c, const char **name, size_t *name_len, const char **value,
                     size_t *value_len) {
    skip_space(c);
    if (c->p >= c->end) return -1;
    if (*c->p == '>' || *c->p == '/') return 0;
    const char *start = c->p;
    while (c->p < c->end && !NAME_STOP[(unsigned char)*c->p]) c->p++;
    if (c->p == start || c->end - c->p < 2 || c->p[0] != '=' || c->p[1] != '"') return -1;
    *name = start;
    *name_len = (size_t)(c->p - start);
    c->p += 2;
    const char *close = memchr(c->p, '"', (size_t)(c->end - c->p));
    if (!close || memchr(c->p, '<', (size_t)(close - c->p))) return -1;
    *value = c->p;
    *value_len = (size_t)(close - c->p);
    c->p = close + 1;
    return 1;
}

/* The end of a start tag: 1 for '>', 2 for '/>', -1 odd. */
static int tag_end(Cursor *c) {
    if (c->p < c->end && *c->p == '>') {
        c->p++;
        return 1;
    }
    if (c->end - c->p >= 2 && c->p[0] == '/' && c->p[1] == '>') {
        c->p += 2;
        return 2;
    }
    return -1;
}

static int same(const char *a, size_t n, const char *b) { return strlen(b) == n && !memcmp(a, b, n); }

/* Digits without a leading zero, at most ``most`` of them, as a number; -1 otherwise. */
static long long number(const char *s, size_t n, size_t most) {
    if (n == 0 || n > most || s[0] == '0') return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* A reference "AB12": 1-3 capitals then a row number; 0-based row and column. */
static int reference(const char *s, size_t n, uint32_t *row, uint32_t *col) {
    size_t i = 0;
    uint32_t column = 0;
    while (i < n && i < 4 && s[i] >= 'A' && s[i] <= 'Z') column = column * 26 + (uint32_t)(s[i++] - 'A' + 1);
    if (i == 0 || i > 3) return -1;
    long long r = number(s + i, n - i, 7);
    if (r < 1 || r > MAX_ROW || column > MAX_COL) return -1;
    *row = (uint32_t)(r - 1);
    *col = column - 1;
    return 0;
}

/* Text up to the next '<' as a str: entities decoded; None-returning (NULL, no error) when
 * odd: another entity, a control character, '\r', an "_x" escape, bad UTF-8; ``trim``: text
 * with ASCII space at either end is odd too (calamine trims it). */
static PyObject *text(Cursor *c, int trim) {
    const char *start = c->p;
    const char *stop = memchr(start, '<', (size_t)(c->end - start));
    if (!stop) return NULL;
    size_t n = (size_t)(stop - start);
    int entities = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char class = TEXT_CLASS[(unsigned char)start[i]];
        if (!class) continue;
        if (class == TEXT_ENTITY)
            entities = 1;
        else if (class == TEXT_ODD)
            return NULL;
        else if (i + 1 < n && start[i + 1] == 'x') /* "_x": an escape calamine decodes */
            return NULL;
    }
    if (trim && n && (start[0] == ' ' || start[0] == '\n' || start[0] == '\t' ||
                      start[n - 1] == ' ' || start[n - 1] == '\n' || start[n - 1] == '\t'))
        return NULL;
    c->p = stop;
    if (!entities) {
        PyObject *s = PyUnicode_DecodeUTF8(start, (Py_ssize_t)n, NULL);
        if (!s && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) PyErr_Clear();
        return s;
    }
    char *buf = PyMem_Malloc(n ? n : 1);
    if (!buf) return PyErr_NoMemory();
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        if (start[i] != '&') {
            buf[out++] = start[i++];
            continue;
        }
        const char *semi = memchr(start + i, ';', n - i);
        if (!semi) goto odd;
        const char *name = start + i + 1;
        size_t len = (size_t)(semi - name);
        unsigned long code = 0;
        if (same(name, len, "lt")) code = '<';
        else if (same(name, len, "gt")) code = '>';
        else if (same(name, len, "amp")) code = '&';
        else if (same(name, len, "quot")) code = '"';
        else if (same(name, len, "apos")) code = '\'';
        else if (len >= 2 && name[0] == '#') {
            int hex = name[1] == 'x';
            size_t at = hex ? 2 : 1;
            if (at >= len || len - at > 6) goto odd;
            for (; at < len; at++) {
                char d = name[at];
                int v = (d >= '0' && d <= '9') ? d - '0'
                        : (hex && d >= 'a' && d <= 'f') ? d - 'a' + 10
                        : (hex && d >= 'A' && d <= 'F') ? d - 'A' + 10 : -1;
                if (v < 0) goto odd;
                code = code * (hex ? 16 : 10) + (unsigned long)v;
            }
            if (code < 0x20 || code == 0x7f || (code >= 0xd800 && code <= 0xdfff) ||
                code > 0x10ffff || code == 0xfffe || code == 0xffff)
                goto odd; /* control characters, "\r" among them: odd */
        } else
            goto odd;
        if (code < 0x80) buf[out++] = (char)code;
        else if (code < 0x800) {
            buf[out++] = (char)(0xc0 | (code >> 6));
            buf[out++] = (char)(0x80 | (code & 0x3f));
        } else if (code < 0x10000) {
            buf[out++] = (char)(0xe0 | (code >> 12));
            buf[out++] = (char)(0x80 | ((code >> 6) & 0x3f));
            buf[out++] = (char)(0x80 | (code & 0x3f));
        } else {
            buf[out++] = (char)(0xf0 | (code >> 18));
            buf[out++] = (char)(0x80 | ((code >> 12) & 0x3f));
            buf[out++] = (char)(0x80 | ((code >> 6) & 0x3f));
            buf[out++] = (char)(0x80 | (code & 0x3f));
        }
        i = (size_t)(semi - start) + 1; /* an entity's bytes are never fewer than its UTF-8 */
    }
    if (trim && out && (buf[0] == ' ' || buf[0] == '\n' || buf[0] == '\t' ||
                        buf[out - 1] == ' ' || buf[out - 1] == '\n' || buf[out - 1] == '\t'))
        goto odd;
    PyObject *s = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)out, NULL);
    PyMem_Free(buf);
    if (!s && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) PyErr_Clear();
    return s;
odd:
    PyMem_Free(buf);
    return NULL;
}

/* "<t>text</t>" or '<t xml:space="preserve">text</t>' at the cursor, as a str; NULL odd. */
static PyObject *t_element(Cursor *c) {
    if (!starts(c, "<t") || c->end - c->p < 3 || (c->p[2] != ' ' && c->p[2] != '>' && c->p[2] != '/'))
        return NULL;
    c->p += 2;
    int preserve = 0, count = 0;
    const char *name, *value;
    size_t name_len, value_len;
    int got;
    while ((got = attribute(c, &name, &name_len, &value, &value_len)) == 1) {
        if (!same(name, name_len, "xml:space") || count++) return NULL;
        if (same(value, value_len, "preserve")) preserve = 1;
        else if (!same(value, value_len, "default")) return NULL;
    }
    if (got < 0 || tag_end(c) != 1) return NULL; /* <t/>: odd */
    PyObject *s = text(c, !preserve);
    if (!s) return NULL;
    if (!starts(c, "</t>")) {
        Py_DECREF(s);
        return NULL;
    }
    c->p += 4;
    return s;
}

/* A number as calamine reads it: -?digits[.digits][(e|E)[+-]digits]; 0 odd. */
static int plain_number(const char *s, size_t n) {
    size_t i = 0, digits = 0;
    if (i < n && s[i] == '-') i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    if (!digits) return 0;
    if (i < n && s[i] == '.') {
        i++;
        size_t frac = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, frac++;
        if (!frac) return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, exp++;
        if (!exp || exp > 3) return 0;
    }
    return i == n && n <= 64;
}

/* An Excel serial day (1900 system) as a date: only whole days from 1900-03-01 on. */
static PyObject *serial_date(double v) {
    if (!(v >= 61.0 && v <= 2958465.0) || v != (double)(long long)v) return NULL;
    /* days since 1970-01-01, then Howard Hinnant's civil_from_days */
    long long z = (long long)v - 25569 + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    return PyDate_FromDate((int)(y + (m <= 2)), (int)m, (int)d);
}

enum { T_NUMBER, T_SHARED, T_STR, T_INLINE, T_BOOL };

/* Everything up to the end of the cell: its value (a new reference, Py_None for a blank,
 * NULL with no error set when odd, NULL with an error on failure). */
static PyObject *cell_value(Cursor *c, int type, int date_style, PyObject *strings) {
    PyObject *value = Py_NewRef(Py_None);
    for (;;) {
        if (c->p >= c->end || *c->p != '<') goto odd; /* text between children: none */
        if (starts(c, "</c>")) {
            c->p += 4;
            return value;
        }
        Py_SETREF(value, Py_NewRef(Py_None)); /* the last child decides (calamine) */
        if (starts(c, "<v>") || starts(c, "<v/>")) {
            if (type == T_INLINE) goto odd;
            if (starts(c, "<v/>")) {
                c->p += 4;
                if (type == T_STR) Py_SETREF(value, PyUnicode_FromStringAndSize("", 0));
                continue;
            }
            c->p += 3;
            if (type == T_STR) {
                PyObject *s = text(c, 0);
                if (!s) goto odd_or_error;
                Py_SETREF(value, s);
            } else {
                const char *start = c->p;
                const char *stop = memchr(start, '<', (size_t)(c->end - start));
                if (!stop) goto odd;
                size_t n = (size_t)(stop - start);
                c->p = stop;
                if (n == 0) {
                } else if (type == T_SHARED) {
                    long long index = n == 1 && start[0] == '0' ? 0 : number(start, n, 9);
                    if (index < 0 || index >= PyList_GET_SIZE(strings)) goto odd;
                    Py_SETREF(value, Py_NewRef(PyList_GET_ITEM(strings, index)));
                } else if (type == T_BOOL) {
                    Py_SETREF(value, Py_NewRef(n == 1 && start[0] == '0' ? Py_False : Py_True));
                } else {
                    if (!plain_number(start, n)) goto odd;
                    double v;
                    if (n <= 15 && start[0] != '-' && !memchr(start, '.', n) && !memchr(start, 'e', n) &&
                        !memchr(start, 'E', n)) { /* whole digits: exact in a double, as strtod */
                        long long whole = 0;
                        for (size_t i = 0; i < n; i++) whole = whole * 10 + (start[i] - '0');
                        v = (double)whole;
                    } else {
                        char buf[72];
                        memcpy(buf, start, n);
                        buf[n] = 0;
                        v = PyOS_string_to_double(buf, NULL, NULL);
                        if (v == -1.0 && PyErr_Occurred()) {
                            PyErr_Clear();
                            goto odd;
                        }
                    }
                    if (date_style == 1) {
                        PyObject *d = serial_date(v);
                        if (!d) goto odd_or_error;
                        Py_SETREF(value, d);
                    } else if (date_style == 0) {
                        PyObject *f = PyFloat_FromDouble(v);
                        if (!f) goto error;
                        Py_SETREF(value, f);
                    } else
                        goto odd;
                }
            }
            if (!starts(c, "</v>")) goto odd;
            c->p += 4;
        } else if (starts(c, "<is>")) {
            c->p += 4;
            if (type != T_INLINE) goto odd;
            PyObject *s = t_element(c);
            if (!s) goto odd_or_error;
            Py_SETREF(value, s);
            if (!starts(c, "</is>")) goto odd;
            c->p += 5;
        } else if (starts(c, "<f") && c->end - c->p >= 3 &&
                   (c->p[2] == ' ' || c->p[2] == '>' || c->p[2] == '/')) {
            c->p += 2;
            const char *name, *attr;
            size_t name_len, attr_len;
            int got;
            while ((got = attribute(c, &name, &name_len, &attr, &attr_len)) == 1) {
            }
            if (got < 0) goto odd;
            int end = tag_end(c);
            if (end < 0) goto odd;
            if (end == 1) {
                const char *stop = memchr(c->p, '<', (size_t)(c->end - c->p));
                if (!stop) goto odd;
                c->p = stop;
                if (!starts(c, "</f>")) goto odd;
                c->p += 4;
            }
        } else
            goto odd;
    }
odd_or_error:
    if (PyErr_Occurred()) {
        Py_DECREF(value);
        return NULL;
    }
odd:
    Py_DECREF(value);
    return NULL;
error:
    Py_DECREF(value);
    return NULL;
}

/* The prolog: up to "<sheetData>"; 1 found, 2 "<sheetData/>", 0 odd. */
static int prolog(Cursor *c) {
    const char *at = NULL;
    for (const char *p = c->p; p < c->end;) {
        const char *lt = memchr(p, '<', (size_t)(c->end - p));
        if (!lt) return 0;
        if (lt + 1 < c->end && lt[1] == '!') return 0; /* a comment, CDATA, a DOCTYPE */
        if (lt + 1 < c->end && lt[1] == '?' && lt != c->p) return 0;
        if ((size_t)(c->end - lt) >= 10 && memcmp(lt + 1, "sheetData", 9) == 0) {
            at = lt;
            break;
        }
        p = lt + 1;
    }
    if (!at) return 0;
    /* no "sheetData" before it, in a prefixed name or anywhere else */
    for (const char *p = c->p; p + 9 <= at; p++)
        if (*p == 's' && memcmp(p, "sheetData", 9) == 0) return 0;
    c->p = at;
    if (starts(c, "<sheetData>")) {
        c->p += 11;
        return 1;
    }
    if (starts(c, "<sheetData/>")) return 2;
    return 0;
}

static PyObject *cells(PyObject *self, PyObject *args) {
    Py_buffer xml;
    PyObject *strings, *rows = NULL;
    const char *styles;
    Py_ssize_t styles_len, limit;
    if (!PyArg_ParseTuple(args, "y*O!y#n", &xml, &PyList_Type, &strings, &styles, &styles_len,
                          &limit))
        return NULL;
    Cursor c = {xml.buf, (const char *)xml.buf + xml.len};
    Cells found = {0};
    int opened = prolog(&c);
    if (opened != 1) goto odd;
    long long last_row = 0; /* the last <row r>, 1-based */
    uint32_t prev_row = 0, prev_col = 0, widest = 0; /* widest: last column + 1 so far */
    int any = 0;
    for (;;) {
        skip_space(&c);
        if (starts(&c, "</sheetData>")) break;
        if (!starts(&c, "<row")) goto odd;
        c.p += 4;
        if (c.p >= c.end || (*c.p != ' ' && *c.p != '>' && *c.p != '/')) goto odd;
        long long row_number = -1;
        const char *name, *value;
        size_t name_len, value_len;
        int got;
        while ((got = attribute(&c, &name, &name_len, &value, &value_len)) == 1) {
            if (same(name, name_len, "r")) {
                if (row_number >= 0) goto odd;
                row_number = number(value, value_len, 7);
                if (row_number < 1 || row_number > MAX_ROW) goto odd;
            } /* other attributes (spans, ht, x14ac:dyDescent...): calamine reads none */
        }
        if (got < 0 || row_number <= last_row) goto odd;
        last_row = row_number;
        int end = tag_end(&c);
        if (end < 0) goto odd;
        if (end == 2) continue;
        for (;;) {
            skip_space(&c);
            if (starts(&c, "</row>")) {
                c.p += 6;
                break;
            }
            if (!starts(&c, "<c ")) goto odd;
            c.p += 3;
            /* r first, then s, t, cm, vm, ph in any order */
            got = attribute(&c, &name, &name_len, &value, &value_len);
            uint32_t row, col;
            if (got != 1 || !same(name, name_len, "r") || reference(value, value_len, &row, &col) < 0 ||
                row != (uint32_t)(row_number - 1))
                goto odd;
            if (any && !(row > prev_row || (row == prev_row && col > prev_col))) goto odd;
            int type = T_NUMBER, seen_s = 0, seen_t = 0, date_style = 0;
            while ((got = attribute(&c, &name, &name_len, &value, &value_len)) == 1) {
                if (same(name, name_len, "s")) {
                    long long style = value_len == 1 && value[0] == '0' ? 0 : number(value, value_len, 9);
                    if (seen_s++ || style < 0) goto odd;
                    date_style = style < styles_len ? (unsigned char)styles[style] : 0;
                } else if (same(name, name_len, "t")) {
                    if (seen_t++) goto odd;
                    if (same(value, value_len, "n")) type = T_NUMBER;
                    else if (same(value, value_len, "s")) type = T_SHARED;
                    else if (same(value, value_len, "str")) type = T_STR;
                    else if (same(value, value_len, "inlineStr")) type = T_INLINE;
                    else if (same(value, value_len, "b")) type = T_BOOL;
                    else goto odd;
                } else if (!same(name, name_len, "cm") && !same(name, name_len, "vm") &&
                           !same(name, name_len, "ph"))
                    goto odd;
            }
            if (got < 0) goto odd;
            end = tag_end(&c);
            if (end < 0) goto odd;
            prev_row = row, prev_col = col, any = 1;
            if (end == 2) continue; /* <c .../>: blank */
            PyObject *cell = cell_value(&c, type, date_style, strings);
            if (!cell) {
                if (PyErr_Occurred()) goto error;
                goto odd;
            }
            if (cell == Py_None) {
                Py_DECREF(cell);
                continue;
            }
            if (col + 1 > widest) widest = col + 1;
            if ((long long)(row + 1) * (long long)widest > (long long)limit) {
                Py_DECREF(cell); /* the rows could not be laid out: never hold more cells */
                goto odd;
            }
            if (cells_push(&found, row, col, cell) < 0) goto error;
        }
    }
    if (!found.len) goto odd; /* an empty sheet: calamine's own answer */
    uint32_t last = found.items[found.len - 1].row;
    uint32_t first_col = MAX_COL, last_col = 0;
    for (size_t i = 0; i < found.len; i++) {
        if (found.items[i].col < first_col) first_col = found.items[i].col;
        if (found.items[i].col > last_col) last_col = found.items[i].col;
    }
    Py_ssize_t width = (Py_ssize_t)(last_col - first_col + 1);
    Py_ssize_t length = (Py_ssize_t)first_col + width;
    if ((long long)(last + 1) * (long long)length > (long long)limit) goto odd;
    PyObject *blank = PyUnicode_FromStringAndSize("", 0);
    if (!blank) goto error;
    rows = PyList_New((Py_ssize_t)last + 1);
    if (!rows) {
        Py_DECREF(blank);
        goto error;
    }
    size_t at = 0;
    for (uint32_t r = 0; r <= last; r++) {
        PyObject *row = PyList_New(length);
        if (!row) {
            Py_DECREF(blank);
            goto error;
        }
        for (Py_ssize_t i = 0; i < (Py_ssize_t)first_col; i++) PyList_SET_ITEM(row, i, Py_NewRef(Py_None));
        for (Py_ssize_t i = first_col; i < length; i++) PyList_SET_ITEM(row, i, Py_NewRef(blank));
        while (at < found.len && found.items[at].row == r) {
            Py_ssize_t i = (Py_ssize_t)found.items[at].col;
            PyObject *old = PyList_GET_ITEM(row, i);
            PyList_SET_ITEM(row, i, found.items[at].value);
            Py_DECREF(old);
            found.items[at++].value = NULL; /* the row holds it now */
        }
        PyList_SET_ITEM(rows, r, row);
    }
    Py_DECREF(blank);
    cells_free(&found);
    PyBuffer_Release(&xml);
    return rows;
odd:
    cells_free(&found);
    PyBuffer_Release(&xml);
    Py_XDECREF(rows);
    Py_RETURN_NONE;
error:
    cells_free(&found);
    PyBuffer_Release(&xml);
    Py_XDECREF(rows);
    return NULL;
}

/* A sharedStrings part: <sst ...> then <si><t>text</t></si> items, up to </sst>. */
static PyObject *shared(PyObject *self, PyObject *args) {
    Py_buffer xml;
    if (!PyArg_ParseTuple(args, "y*", &xml)) return NULL;
    Cursor c = {xml.buf, (const char *)xml.buf + xml.len};
    PyObject *out = PyList_New(0);
    if (!out) goto error;
    const char *sst = NULL;
    for (const char *p = c.p; p < c.end;) {
        const char *lt = memchr(p, '<', (size_t)(c.end - p));
        if (!lt) goto odd;
        if (lt + 1 < c.end && lt[1] == '!') goto odd;
        if (lt + 1 < c.end && lt[1] == '?' && lt != c.p) goto odd;
        if ((size_t)(c.end - lt) >= 5 && memcmp(lt, "<sst", 4) == 0 && (lt[4] == ' ' || lt[4] == '>')) {
            sst = lt;
            break;
        }
        if (lt + 1 < c.end && lt[1] != '?') goto odd; /* another element first */
        p = lt + 1;
    }
    if (!sst) goto odd;
    c.p = sst + 4;
    const char *name, *value;
    size_t name_len, value_len;
    int got;
    while ((got = attribute(&c, &name, &name_len, &value, &value_len)) == 1) {
    }
    if (got < 0 || tag_end(&c) != 1) goto odd;
    for (;;) {
        skip_space(&c);
        if (starts(&c, "</sst>")) break;
        if (!starts(&c, "<si>")) goto odd;
        c.p += 4;
        PyObject *s = t_element(&c);
        if (!s) {
            if (PyErr_Occurred()) goto error;
            goto odd;
        }
        if (!starts(&c, "</si>")) {
            Py_DECREF(s);
            goto odd;
        }
        c.p += 5;
        int appended = PyList_Append(out, s);
        Py_DECREF(s);
        if (appended < 0) goto error;
    }
    PyBuffer_Release(&xml);
    return out;
odd:
    PyBuffer_Release(&xml);
    Py_XDECREF(out);
    Py_RETURN_NONE;
error:
    PyBuffer_Release(&xml);
    Py_XDECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"cells", cells, METH_VARARGS, "A worksheet's rows from its XML, or None."},
    {"strings", shared, METH_VARARGS, "A sharedStrings part's strings, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cscan", NULL, -1, methods};

PyMODINIT_FUNC PyInit_cscan(void) {
    fill_tables();
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) return NULL;
    return PyModule_Create(&module);
}
