// Row and column kernels: bias add, sums over rows/cols, row-wise softmax, row L2 norms, whole-tensor reductions.

// x [rows, cols] += bias [cols]; 2-D range (col, row).
__kernel void add_bias(int rows, int cols, __global REAL* x, int xo, __global const REAL* bias, int bo)
{
    int c = get_global_id(0), r = get_global_id(1);
    if (c >= cols || r >= rows) return;
    x[xo + r * cols + c] += bias[bo + c];
}

// y [cols] (+)= Σ_r x [rows, cols]: one work-item per column walks the rows in order (reads coalesce across columns).
__kernel void sum_over_rows(int rows, int cols, __global const REAL* x, int xo, __global REAL* y, int yo, int accumulate)
{
    int c = get_global_id(0);
    if (c >= cols) return;
    REAL s = accumulate ? y[yo + c] : (REAL)0;
    for (int r = 0; r < rows; r++) s += x[xo + r * cols + c];
    y[yo + c] = s;
}

// y [rows] (+)= Σ_c x [rows, cols]: one work-group per row.
__kernel void sum_over_cols(int rows, int cols, __global const REAL* x, int xo, __global REAL* y, int yo, int accumulate)
{
    __local REAL scratch[WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global const REAL* row = x + xo + (long)r * cols;
    REAL s = 0;
    for (int c = l; c < cols; c += WG) s += row[c];
    s = wg_reduce(scratch, s, 0);
    if (l == 0) y[yo + r] = accumulate ? y[yo + r] + s : s;
}

// y [rows] = ‖x[r, :]‖₂: one work-group per row.
__kernel void row_l2_norms(int rows, int cols, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    __local REAL scratch[WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global const REAL* row = x + xo + (long)r * cols;
    REAL s = 0;
    for (int c = l; c < cols; c += WG) s += row[c] * row[c];
    s = wg_reduce(scratch, s, 0);
    if (l == 0) y[yo + r] = sqrt(s);
}

// Row-wise softmax, max-subtracted; y may be x: each item reads and writes only its own columns, and the max is
// complete (a barrier inside wg_reduce) before any write.
__kernel void softmax_rows(int rows, int cols, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    __local REAL scratch[WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global const REAL* xr = x + xo + (long)r * cols;
    __global REAL* yr = y + yo + (long)r * cols;
    REAL m = -INFINITY;
    for (int c = l; c < cols; c += WG) m = max_nan(m, xr[c]);
    m = wg_reduce(scratch, m, 1);
    REAL s = 0;
    for (int c = l; c < cols; c += WG)
    {
        REAL e = exp(xr[c] - m);
        yr[c] = e;
        s += e;
    }
    s = wg_reduce(scratch, s, 0);
    for (int c = l; c < cols; c += WG) yr[c] /= s;
}

// result[0] = Σ x (op 0), max x (op 1, NaN-propagating, −∞ when empty) or ‖x‖₂ (op 2): one work-group strides the
// whole tensor, so it is one launch and the result stays on the device.
__kernel void reduce_all(int n, int op, __global const REAL* x, int xo, __global REAL* result, int ro)
{
    __local REAL scratch[WG];
    int l = get_local_id(0);
    REAL acc = op == 1 ? -INFINITY : (REAL)0;
    for (int i = l; i < n; i += WG)
    {
        REAL v = x[xo + i];
        acc = op == 0 ? acc + v : op == 1 ? max_nan(acc, v) : acc + v * v;
    }
    acc = wg_reduce(scratch, acc, op == 1 ? 1 : 0);
    if (l == 0) result[ro] = op == 2 ? sqrt(acc) : acc;
}
