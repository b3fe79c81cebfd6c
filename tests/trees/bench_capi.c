/* The libraries' C API alone, single row: what xgboost.Booster.inplace_predict and
 * lightgbm.Booster.predict cost without Python, and LightGBM's fastest one-row entry point.
 * Built and run by tests/trees/bench_libraries.py (through scripts/trees_bench.sh):
 *
 *   bench_capi xgb|lgb LIBRARY.so MODEL X.bin NF ROWS SECONDS
 *
 * X.bin holds row-major rows of NF values (f32 for xgb, f64 for lgb); the first ROWS rows are
 * predicted one call each, in turn, in blocks of ROWS calls, repeated for SECONDS; prints one
 * JSON object: the median seconds per call of each entry point. The library is opened with
 * dlopen (no headers, no link-time dependency); the prototypes below are the libraries' own
 * (xgboost/c_api.h 3.2, LightGBM/c_api.h 4.7). Every argument string and the output buffers
 * are made before the clock starts, so a figure is the library call alone.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef uint64_t bst_ulong;
typedef int (*xgb_create)(void *const *, bst_ulong, void **);
typedef int (*xgb_load)(void *, const char *);
typedef int (*xgb_set_param)(void *, const char *, const char *);
typedef int (*xgb_predict_dense)(void *, const char *, const char *, void *, bst_ulong const **,
                                 bst_ulong *, const float **);
typedef const char *(*last_error)(void);
typedef int (*lgb_create)(const char *, int *, void **);
typedef int (*lgb_predict_mat)(void *, const void *, int, int32_t, int32_t, int, int, int, int,
                               const char *, int64_t *, double *);
typedef int (*lgb_fast_init)(void *, int, int, int, int, int32_t, const char *, void **);
typedef int (*lgb_fast)(void *, const void *, int64_t *, double *);

static void *lib;
static last_error err_fn;

static void *sym(const char *name) {
    void *p = dlsym(lib, name);
    if (!p) {
        fprintf(stderr, "bench_capi: %s not found in the library\n", name);
        exit(2);
    }
    return p;
}

static void check(int rc, const char *what) {
    if (rc != 0) {
        fprintf(stderr, "bench_capi: %s failed: %s\n", what, err_fn ? err_fn() : "?");
        exit(2);
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double thread_cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Median seconds per call of call(i) over blocks of `rows` calls, for `seconds`; `*cpu` is the
 * median on-CPU time of the calling thread per call (less sensitive to a loaded machine, but
 * blind to the library's worker threads). */
static double time_calls(void (*call)(int), int rows, double seconds, double *cpu) {
    static double blocks[100000], cpus[100000];
    int n = 0;
    for (int i = 0; i < rows; i++) call(i); /* warm up */
    double start = now();
    while ((now() - start < seconds || n < 5) && n < 100000) {
        double t = now(), c = thread_cpu();
        for (int i = 0; i < rows; i++) call(i);
        cpus[n] = (thread_cpu() - c) / rows;
        blocks[n++] = (now() - t) / rows;
    }
    qsort(blocks, n, sizeof(double), cmp);
    qsort(cpus, n, sizeof(double), cmp);
    *cpu = cpus[n / 2];
    return blocks[n / 2];
}

static void *booster;
static void *fast_config;
static char **arrays;
static const char *xgb_config = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                                "\"iteration_end\": 0, \"missing\": NaN, \"strict_shape\": false, "
                                "\"cache_id\": 0}";
static xgb_predict_dense xgb_pred;
static lgb_predict_mat lgb_mat;
static lgb_fast lgb_one;
static const double *x64;
static int nf;
static double sink;

static void xgb_call(int i) {
    bst_ulong const *shape;
    bst_ulong dim;
    const float *out;
    check(xgb_pred(booster, arrays[i], xgb_config, NULL, &shape, &dim, &out),
          "XGBoosterPredictFromDense");
    sink += out[0];
}

static void lgb_mat_call(int i) {
    int64_t len;
    double out[64];
    /* data_type 1 = float64, row-major, predict_type 0 = normal, all iterations; the
     * parameter string lightgbm.Booster.predict(..., num_threads=2) passes. */
    check(lgb_mat(booster, x64 + (size_t)i * nf, 1, 1, nf, 1, 0, 0, -1, "num_threads=2", &len,
                  out),
          "LGBM_BoosterPredictForMat");
    sink += out[0];
}

static void lgb_fast_call(int i) {
    int64_t len;
    double out[64];
    check(lgb_one(fast_config, x64 + (size_t)i * nf, &len, out),
          "LGBM_BoosterPredictForMatSingleRowFast");
    sink += out[0];
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: bench_capi xgb|lgb LIBRARY.so MODEL X.bin NF ROWS SECONDS\n");
        return 2;
    }
    int xgb = strcmp(argv[1], "xgb") == 0;
    nf = atoi(argv[5]);
    int rows = atoi(argv[6]);
    double seconds = atof(argv[7]);
    lib = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "bench_capi: %s\n", dlerror());
        return 2;
    }
    size_t width = xgb ? sizeof(float) : sizeof(double);
    void *x = malloc((size_t)rows * nf * width);
    FILE *f = fopen(argv[4], "rb");
    if (!f || fread(x, width, (size_t)rows * nf, f) != (size_t)rows * nf) {
        fprintf(stderr, "bench_capi: cannot read %d rows from %s\n", rows, argv[4]);
        return 2;
    }
    fclose(f);
    if (xgb) {
        err_fn = (last_error)sym("XGBGetLastError");
        check(((xgb_create)sym("XGBoosterCreate"))(NULL, 0, &booster), "XGBoosterCreate");
        check(((xgb_load)sym("XGBoosterLoadModel"))(booster, argv[3]), "XGBoosterLoadModel");
        /* As tests/trees/bench_libraries.py sets it before timing inplace_predict. */
        check(((xgb_set_param)sym("XGBoosterSetParam"))(booster, "nthread", "2"), "nthread");
        xgb_pred = (xgb_predict_dense)sym("XGBoosterPredictFromDense");
        /* The array interface inplace_predict builds for a one-row float32 array. */
        arrays = malloc(sizeof(char *) * rows);
        for (int i = 0; i < rows; i++) {
            arrays[i] = malloc(256);
            snprintf(arrays[i], 256,
                     "{\"data\": [%llu, true], \"shape\": [1, %d], \"strides\": null, "
                     "\"typestr\": \"<f4\", \"version\": 3}",
                     (unsigned long long)(uintptr_t)((float *)x + (size_t)i * nf), nf);
        }
        double cpu, t = time_calls(xgb_call, rows, seconds, &cpu);
        printf("{\"XGBoosterPredictFromDense\": %.9g}\n", t);
    } else {
        err_fn = (last_error)sym("LGBM_GetLastError");
        int iters;
        check(((lgb_create)sym("LGBM_BoosterCreateFromModelfile"))(argv[3], &iters, &booster),
              "LGBM_BoosterCreateFromModelfile");
        x64 = x;
        lgb_mat = (lgb_predict_mat)sym("LGBM_BoosterPredictForMat");
        lgb_one = (lgb_fast)sym("LGBM_BoosterPredictForMatSingleRowFast");
        check(((lgb_fast_init)sym("LGBM_BoosterPredictForMatSingleRowFastInit"))(
                  booster, 0, 0, -1, 1, nf, "num_threads=1", &fast_config),
              "LGBM_BoosterPredictForMatSingleRowFastInit");
        double cpu, fast_cpu, mat = time_calls(lgb_mat_call, rows, seconds, &cpu);
        double fast = time_calls(lgb_fast_call, rows, seconds, &fast_cpu);
        printf("{\"LGBM_BoosterPredictForMat\": %.9g, \"LGBM_BoosterPredictForMatSingleRowFast\": "
               "%.9g, \"LGBM_BoosterPredictForMatSingleRowFast_cpu\": %.9g}\n",
               mat, fast, fast_cpu);
    }
    if (sink == 12345.678) puts("");
    return 0;
}
