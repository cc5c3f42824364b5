/*
 * C roofline for the TFA sparse_image_warp workload (polyharmonic spline + bilinear sampling).
 *
 * Build:  gcc -O3 -march=native -mprefer-vector-width=512 -ffast-math -fopenmp -o roofline roofline.c -lm -ldl
 * Run:    roofline --workdir DIR --case NAME --order 1|2 --threads T
 *                  [--variant sqrt|libmvec|polylog] [--solver auto|gauss|dgesv] [--tag T] [--warmup W] [--min-reps R] [--max-reps M] [--budget S]
 * Prints one JSON line (same fields as the Python peers + fit_median_ms, solver).
 *
 * Per image: fit = build the (N+3)^2 system [[A, B], [B^T, 0]] in double (direct differences) and solve
 * it by Gaussian elimination with partial pivoting in double (for N+3 > 160, LAPACK dgesv from
 * liblapack.so.3 via dlopen if present, as hand-written elimination is memory bound there); then, per
 * row (OpenMP over rows), the flow in float with direct differences (x-innermost blocks that vectorise:
 * sqrtf for order 1; logf from glibc's libmvec via -ffast-math, or an inline Cephes-style polynomial log,
 * for order 2) fused with TFA's clamped bilinear sampling of that row.
 *
 * Workload files (written by workload.py): NAME.json (flat header), NAME.image.f32 [B,H,W,C],
 * NAME.centers.f32 [B,N,2] (x,y), NAME.values.f32 [B,N,2] (dx,dy), NAME.ref{order}.f64 [B,H,W,C].
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EPS_D 1e-10
#define EPS_F 1e-10f
#define BLK 32            /* x block kept in registers: 2 x 32 floats of accumulators */
#define GE_MAX 160        /* hand-written elimination up to this many unknowns */

typedef struct {
    char name[256], workload[64];
    int B, H, W, C, n, N;
    float *img, *centers, *values;
    double *ref;
} Case;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(n + 1);
    if (fread(buf, 1, n, f) != (size_t)n) { fclose(f); free(buf); return NULL; }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

static int json_int(const char *js, const char *key) {
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(js, pat);
    if (!p) { fprintf(stderr, "roofline: key %s missing\n", key); exit(2); }
    return (int)strtol(p + strlen(pat), NULL, 10);
}

static void json_str(const char *js, const char *key, char *out, size_t cap) {
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(js, pat);
    if (!p) { out[0] = 0; return; }
    p = strchr(p + strlen(pat), '"');
    if (!p) { out[0] = 0; return; }
    p++;
    size_t i = 0;
    while (*p && *p != '"' && i + 1 < cap) out[i++] = *p++;
    out[i] = 0;
}

static void *load_bin(const char *dir, const char *name, const char *suffix, size_t bytes, int required) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
    size_t len = 0;
    char *b = slurp(path, &len);
    if (!b) {
        if (required) { fprintf(stderr, "roofline: cannot read %s\n", path); exit(2); }
        return NULL;
    }
    if (len != bytes) { fprintf(stderr, "roofline: %s has %zu bytes, expected %zu\n", path, len, bytes); exit(2); }
    return b; /* little-endian host assumed (x86-64) */
}

static void load_case(Case *c, const char *dir, const char *name, int order) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    char *js = slurp(path, NULL);
    if (!js) { fprintf(stderr, "roofline: cannot read %s\n", path); exit(2); }
    snprintf(c->name, sizeof c->name, "%s", name);
    json_str(js, "workload", c->workload, sizeof c->workload);
    c->B = json_int(js, "batch");
    c->H = json_int(js, "height");
    c->W = json_int(js, "width");
    c->C = json_int(js, "channels");
    c->n = json_int(js, "n");
    c->N = json_int(js, "n_centers");
    free(js);
    size_t npx = (size_t)c->B * c->H * c->W * c->C;
    c->img = load_bin(dir, name, ".image.f32", npx * 4, 1);
    c->centers = load_bin(dir, name, ".centers.f32", (size_t)c->B * c->N * 2 * 4, 1);
    c->values = load_bin(dir, name, ".values.f32", (size_t)c->B * c->N * 2 * 4, 1);
    char suf[32];
    snprintf(suf, sizeof suf, ".ref%d.f64", order);
    c->ref = load_bin(dir, name, suf, npx * 8, 0);
}

/* ------------------------------------------------------------------ fit (double) */

typedef void (*dgesv_fn)(const int *, const int *, double *, const int *, int *, double *, const int *, int *);
static dgesv_fn p_dgesv = NULL;
static int ge_max = GE_MAX; /* --solver gauss: never use dgesv; --solver dgesv: always */

static void try_load_lapack(void) {
    const char *libs[] = {"liblapack.so.3", "libopenblas.so.0", NULL};
    for (int i = 0; libs[i] && !p_dgesv; i++) {
        void *h = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
        if (h) p_dgesv = (dgesv_fn)dlsym(h, "dgesv_");
        /* OpenBLAS worker threads fight the OpenMP rows on 2 cores: single-threaded solve unless asked */
        void (*set_threads)(int) = h ? (void (*)(int))dlsym(h, "openblas_set_num_threads") : NULL;
        if (set_threads && !getenv("OPENBLAS_NUM_THREADS")) set_threads(1);
    }
}

static inline double phi_d(double r2, int order) {
    double t = r2 > EPS_D ? r2 : EPS_D;
    return order == 1 ? sqrt(t) : 0.5 * r2 * log(t);
}

/* Gaussian elimination with partial pivoting on row-major a (m x m) with 2 right-hand sides in rhs (m x 2). */
static int gauss_solve(int m, double *a, double *rhs) {
    for (int k = 0; k < m; k++) {
        int p = k;
        double best = fabs(a[(size_t)k * m + k]);
        for (int i = k + 1; i < m; i++) {
            double v = fabs(a[(size_t)i * m + k]);
            if (v > best) { best = v; p = i; }
        }
        if (best == 0.0) return -1;
        if (p != k) {
            double *rk = a + (size_t)k * m, *rp = a + (size_t)p * m;
            for (int j = k; j < m; j++) { double t = rk[j]; rk[j] = rp[j]; rp[j] = t; }
            double t0 = rhs[2 * k], t1 = rhs[2 * k + 1];
            rhs[2 * k] = rhs[2 * p]; rhs[2 * k + 1] = rhs[2 * p + 1];
            rhs[2 * p] = t0; rhs[2 * p + 1] = t1;
        }
        const double *rk = a + (size_t)k * m;
        double inv = 1.0 / rk[k];
        for (int i = k + 1; i < m; i++) {
            double *ri = a + (size_t)i * m;
            double l = ri[k] * inv;
            if (l == 0.0) continue;
            for (int j = k + 1; j < m; j++) ri[j] -= l * rk[j];
            rhs[2 * i] -= l * rhs[2 * k];
            rhs[2 * i + 1] -= l * rhs[2 * k + 1];
        }
    }
    for (int k = m - 1; k >= 0; k--) {
        const double *rk = a + (size_t)k * m;
        double s0 = rhs[2 * k], s1 = rhs[2 * k + 1];
        for (int j = k + 1; j < m; j++) { s0 -= rk[j] * rhs[2 * j]; s1 -= rk[j] * rhs[2 * j + 1]; }
        rhs[2 * k] = s0 / rk[k];
        rhs[2 * k + 1] = s1 / rk[k];
    }
    return 0;
}

typedef struct {
    int N, m;
    double *a, *rhs, *colmajor, *rhs_cm;
    int *ipiv;
    /* float coefficients for the evaluation */
    float *cx, *cy, *wx, *wy;
    float v[6]; /* fx = v[0]*x + v[1]*y + v[2]; fy = v[3]*x + v[4]*y + v[5] */
    int used_dgesv;
} Fit;

static void fit_alloc(Fit *f, int N) {
    f->N = N;
    f->m = N + 3;
    size_t mm = (size_t)f->m * f->m;
    f->a = aligned_alloc(64, ((mm * 8 + 63) / 64) * 64);
    f->rhs = malloc((size_t)f->m * 2 * 8);
    f->colmajor = NULL;
    f->rhs_cm = malloc((size_t)f->m * 2 * 8);
    f->ipiv = malloc((size_t)f->m * sizeof(int));
    f->cx = aligned_alloc(64, ((N * 4 + 63) / 64) * 64);
    f->cy = aligned_alloc(64, ((N * 4 + 63) / 64) * 64);
    f->wx = aligned_alloc(64, ((N * 4 + 63) / 64) * 64);
    f->wy = aligned_alloc(64, ((N * 4 + 63) / 64) * 64);
}

static void fit_image(Fit *f, const float *centers, const float *values, int order) {
    int N = f->N, m = f->m;
    double *a = f->a, *rhs = f->rhs;
    /* The matrix is symmetric, so row-major (ours) and column-major (LAPACK) layouts coincide. */
    for (int i = 0; i < N; i++) {
        double xi = centers[2 * i], yi = centers[2 * i + 1];
        double *ri = a + (size_t)i * m;
        for (int j = 0; j < N; j++) {
            double dx = xi - centers[2 * j], dy = yi - centers[2 * j + 1];
            ri[j] = phi_d(dx * dx + dy * dy, order);
        }
        ri[N] = xi; ri[N + 1] = yi; ri[N + 2] = 1.0;
        rhs[2 * i] = values[2 * i];
        rhs[2 * i + 1] = values[2 * i + 1];
    }
    for (int r = 0; r < 3; r++) {
        double *rr = a + (size_t)(N + r) * m;
        for (int j = 0; j < N; j++) rr[j] = r == 0 ? centers[2 * j] : r == 1 ? centers[2 * j + 1] : 1.0;
        rr[N] = rr[N + 1] = rr[N + 2] = 0.0;
        rhs[2 * (N + r)] = rhs[2 * (N + r) + 1] = 0.0;
    }
    f->used_dgesv = 0;
    if (m > ge_max && p_dgesv) {
        int nrhs = 2, info = 0;
        for (int i = 0; i < m; i++) { f->rhs_cm[i] = rhs[2 * i]; f->rhs_cm[m + i] = rhs[2 * i + 1]; }
        p_dgesv(&m, &nrhs, a, &m, f->ipiv, f->rhs_cm, &m, &info);
        if (info != 0) { fprintf(stderr, "roofline: dgesv info=%d\n", info); exit(3); }
        for (int i = 0; i < m; i++) { rhs[2 * i] = f->rhs_cm[i]; rhs[2 * i + 1] = f->rhs_cm[m + i]; }
        f->used_dgesv = 1;
    } else if (gauss_solve(m, a, rhs) != 0) {
        fprintf(stderr, "roofline: singular system\n");
        exit(3);
    }
    for (int j = 0; j < N; j++) {
        f->cx[j] = centers[2 * j];
        f->cy[j] = centers[2 * j + 1];
        f->wx[j] = (float)rhs[2 * j];
        f->wy[j] = (float)rhs[2 * j + 1];
    }
    f->v[0] = (float)rhs[2 * N];       f->v[3] = (float)rhs[2 * N + 1];
    f->v[1] = (float)rhs[2 * (N + 1)]; f->v[4] = (float)rhs[2 * (N + 1) + 1];
    f->v[2] = (float)rhs[2 * (N + 2)]; f->v[5] = (float)rhs[2 * (N + 2) + 1];
}

/* ------------------------------------------------------------------ evaluation (float) */

/* Cephes-style logf, branch-free so that it vectorises. x must be a positive normal float. */
static inline float poly_logf(float x) {
    union { float f; int32_t i; } u = {x};
    int32_t e = ((u.i >> 23) & 0xff) - 126;
    u.i = (u.i & 0x007fffff) | 0x3f000000; /* mantissa in [0.5, 1) */
    float m = u.f;
    int lt = m < 0.707106781186547524f;
    float fe = (float)(e - lt);
    m = lt ? (m + m - 1.0f) : (m - 1.0f);
    float z = m * m;
    float y = 7.0376836292e-2f;
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y += -2.12194440e-4f * fe;
    y += -0.5f * z;
    return m + y + 0.693359375f * fe;
}

#define EVAL_ROW(NAME, PHI)                                                                    \
    static void NAME(const Fit *f, int Wpad, float y, const float *xs, float *fx, float *fy) { \
        const int N = f->N;                                                                    \
        const float *cx = f->cx, *cy = f->cy, *wx = f->wx, *wy = f->wy;                        \
        const float bx = f->v[1] * y + f->v[2], by = f->v[4] * y + f->v[5];                    \
        const float ax = f->v[0], ay = f->v[3];                                                \
        for (int x0 = 0; x0 < Wpad; x0 += BLK) {                                               \
            float accx[BLK], accy[BLK], xv[BLK];                                               \
            for (int k = 0; k < BLK; k++) {                                                    \
                xv[k] = xs[x0 + k];                                                            \
                accx[k] = ax * xv[k] + bx;                                                     \
                accy[k] = ay * xv[k] + by;                                                     \
            }                                                                                  \
            for (int j = 0; j < N; j++) {                                                      \
                const float dy = y - cy[j], dy2 = dy * dy, c = cx[j], a = wx[j], b = wy[j];    \
                for (int k = 0; k < BLK; k++) {                                                \
                    const float dx = xv[k] - c;                                                \
                    const float r2 = dx * dx + dy2;                                            \
                    const float p = PHI;                                                       \
                    accx[k] += a * p;                                                          \
                    accy[k] += b * p;                                                          \
                }                                                                              \
            }                                                                                  \
            for (int k = 0; k < BLK; k++) { fx[x0 + k] = accx[k]; fy[x0 + k] = accy[k]; }      \
        }                                                                                      \
    }

EVAL_ROW(eval_row_sqrt, sqrtf(fmaxf(r2, EPS_F)))
EVAL_ROW(eval_row_libmvec, 0.5f * r2 * logf(fmaxf(r2, EPS_F)))
EVAL_ROW(eval_row_polylog, 0.5f * r2 * poly_logf(fmaxf(r2, EPS_F)))

typedef void (*eval_fn)(const Fit *, int, float, const float *, float *, float *);

/* TFA interpolate_bilinear for one output row: query = (y - fy, x - fx). */
static void sample_row(const float *img, int H, int W, int C, int y, const float *fx, const float *fy,
                       float *out) {
    const float maxy = (float)(H - 2), maxx = (float)(W - 2);
    for (int x = 0; x < W; x++) {
        float qy = (float)y - fy[x], qx = (float)x - fx[x];
        float fly = fminf(fmaxf(floorf(qy), 0.0f), maxy);
        float flx = fminf(fmaxf(floorf(qx), 0.0f), maxx);
        float ayv = fminf(fmaxf(qy - fly, 0.0f), 1.0f);
        float axv = fminf(fmaxf(qx - flx, 0.0f), 1.0f);
        int iy = (int)fly, ix = (int)flx;
        const float *tl = img + ((size_t)iy * W + ix) * C;
        const float *bl = tl + (size_t)W * C;
        float *o = out + (size_t)x * C;
        for (int c = 0; c < C; c++) {
            float top = axv * (tl[C + c] - tl[c]) + tl[c];
            float bot = axv * (bl[C + c] - bl[c]) + bl[c];
            o[c] = ayv * (bot - top) + top;
        }
    }
}

typedef struct {
    Case *cs;
    Fit fit;
    eval_fn eval;
    int order, threads, Wpad;
    float *xs, *rowbuf, *out;
    double fit_s; /* fit time of the last call (all images) */
} Ctx;

static void warp_batch(Ctx *cx) {
    Case *c = cx->cs;
    const int H = c->H, W = c->W, C = c->C, Wpad = cx->Wpad;
    cx->fit_s = 0.0;
    for (int b = 0; b < c->B; b++) {
        double t0 = now_s();
        fit_image(&cx->fit, c->centers + (size_t)b * c->N * 2, c->values + (size_t)b * c->N * 2, cx->order);
        cx->fit_s += now_s() - t0;
        const float *img = c->img + (size_t)b * H * W * C;
        float *out = cx->out + (size_t)b * H * W * C;
        const Fit *fit = &cx->fit;
        const float *xs = cx->xs;
        eval_fn ev = cx->eval;
#pragma omp parallel num_threads(cx->threads)
        {
            float *fxr = cx->rowbuf + (size_t)omp_get_thread_num() * 2 * Wpad;
            float *fyr = fxr + Wpad;
#pragma omp for schedule(static)
            for (int y = 0; y < H; y++) {
                ev(fit, Wpad, (float)y, xs, fxr, fyr);
                sample_row(img, H, W, C, y, fxr, fyr, out + (size_t)y * W * C);
            }
        }
    }
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *workdir = NULL, *name = NULL, *variant = NULL, *tag = NULL;
    int order = 2, threads = 1, warmup = 2, min_reps = 5, max_reps = 200;
    double budget = 2.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--workdir")) workdir = argv[i + 1];
        else if (!strcmp(argv[i], "--case")) name = argv[i + 1];
        else if (!strcmp(argv[i], "--order")) order = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads")) threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--variant")) variant = argv[i + 1];
        else if (!strcmp(argv[i], "--warmup")) warmup = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--min-reps")) min_reps = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-reps")) max_reps = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--budget")) budget = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--tag")) tag = argv[i + 1];
        else if (!strcmp(argv[i], "--solver"))
            ge_max = !strcmp(argv[i + 1], "gauss") ? 1 << 30 : !strcmp(argv[i + 1], "dgesv") ? 0 : GE_MAX;
        else { fprintf(stderr, "roofline: unknown option %s\n", argv[i]); return 2; }
    }
    if (!workdir || !name || (order != 1 && order != 2) || threads < 1) {
        fprintf(stderr, "usage: roofline --workdir DIR --case NAME --order 1|2 --threads T "
                        "[--variant sqrt|libmvec|polylog] [--solver auto|gauss|dgesv] [--tag T] [--warmup W] [--min-reps R] [--max-reps M] [--budget S]\n");
        return 2;
    }
    if (!variant) variant = order == 1 ? "sqrt" : "libmvec";
    Ctx cx = {0};
    Case cs;
    load_case(&cs, workdir, name, order);
    cx.cs = &cs;
    cx.order = order;
    cx.threads = threads;
    if (order == 1) {
        if (strcmp(variant, "sqrt")) { fprintf(stderr, "roofline: order 1 has variant sqrt only\n"); return 2; }
        cx.eval = eval_row_sqrt;
    } else if (!strcmp(variant, "libmvec")) cx.eval = eval_row_libmvec;
    else if (!strcmp(variant, "polylog")) cx.eval = eval_row_polylog;
    else { fprintf(stderr, "roofline: unknown variant %s\n", variant); return 2; }
    omp_set_num_threads(threads);
    try_load_lapack();

    cx.Wpad = ((cs.W + BLK - 1) / BLK) * BLK;
    cx.xs = aligned_alloc(64, (size_t)cx.Wpad * 4);
    for (int x = 0; x < cx.Wpad; x++) cx.xs[x] = (float)x;
    cx.rowbuf = aligned_alloc(64, (size_t)threads * 2 * cx.Wpad * 4);
    size_t npx = (size_t)cs.B * cs.H * cs.W * cs.C;
    cx.out = aligned_alloc(64, ((npx * 4 + 63) / 64) * 64);
    memset(cx.out, 0, npx * 4);
    fit_alloc(&cx.fit, cs.N);

    int actual = 0;
#pragma omp parallel num_threads(threads)
    {
#pragma omp single
        actual = omp_get_num_threads();
    }
    if (actual != threads) fprintf(stderr, "roofline: asked for %d OpenMP threads, got %d\n", threads, actual);
    double load1 = -1.0;

    double t_w = -1.0;
    for (int i = 0; i < warmup; i++) {
        double t0 = now_s();
        warp_batch(&cx);
        t_w = now_s() - t0;
    }
    int reps = min_reps;
    if (t_w > 0) {
        double r = ceil(budget / (t_w > 1e-6 ? t_w : 1e-6));
        reps = r < min_reps ? min_reps : r > max_reps ? max_reps : (int)r;
    }
    double *ts = malloc(sizeof(double) * reps), *fs = malloc(sizeof(double) * reps);
    for (int i = 0; i < reps; i++) {
        double t0 = now_s();
        warp_batch(&cx);
        ts[i] = (now_s() - t0) * 1e3 / cs.B;
        fs[i] = cx.fit_s * 1e3 / cs.B;
    }
    double err = -1.0;
    if (cs.ref) {
        err = 0.0;
        for (size_t i = 0; i < npx; i++) {
            double d = fabs((double)cx.out[i] - cs.ref[i]);
            if (d > err || d != d) err = d;
        }
    }
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) { if (fscanf(la, "%lf", &load1) != 1) load1 = -1.0; fclose(la); }
    qsort(ts, reps, sizeof(double), cmp_d);
    qsort(fs, reps, sizeof(double), cmp_d);
    double med = reps % 2 ? ts[reps / 2] : 0.5 * (ts[reps / 2 - 1] + ts[reps / 2]);
    double fmed = reps % 2 ? fs[reps / 2] : 0.5 * (fs[reps / 2 - 1] + fs[reps / 2]);
    char errs[32];
    if (err >= 0 && err == err) snprintf(errs, sizeof errs, "%.3e", err);
    else snprintf(errs, sizeof errs, "null");
    printf("{\"peer\": \"c-roofline\", \"variant\": \"fused-%s\", \"workload\": \"%s\", \"height\": %d, "
           "\"width\": %d, \"n\": %d, \"order\": %d, \"batch\": %d, \"threads\": %d, \"pass\": \"forward\", "
           "\"median_ms_per_image\": %.4f, \"min_ms_per_image\": %.4f, \"max_ms_per_image\": %.4f, "
           "\"reps\": %d, \"max_err\": %s, \"fit_median_ms\": %.4f, \"solver\": \"%s\", \"load1\": %.2f%s%s%s}\n",
           variant, cs.workload, cs.H, cs.W, cs.n, order, cs.B, actual, med, ts[0], ts[reps - 1], reps, errs,
           fmed, cx.fit.used_dgesv ? "dgesv" : "gauss-pp", load1, tag ? ", \"tag\": \"" : "", tag ? tag : "",
           tag ? "\"" : "");
    return 0;
}
