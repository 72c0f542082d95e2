// Loss kernels: elementwise MSE/BCE/BCE-with-logits and softmax cross-entropy, forward and backward, row masks.
// kind: 0 MSE, 1 BCE, 2 BCE-with-logits (ElementwiseLossKind's order); mean: 1 for Reduction.Mean, 0 for Sum.
// Rows whose mask weight is exactly 0 are skipped, so a NaN there does not leak; a mean over no rows is NaN (0/0).
// The reductions run in one work-group striding the whole input: one launch, the loss stays on the device.

#define BCE_EPS ((REAL)1e-12f)

inline REAL loss_term(int kind, REAL x, REAL y)
{
    if (kind == 0) return (x - y) * (x - y);
    if (kind == 1) return -(y * max_nan(log(x), (REAL)-100) + (1 - y) * max_nan(log(1 - x), (REAL)-100));
    return max_nan(x, (REAL)0) - x * y + log1p(exp(-fabs(x)));
}

inline REAL loss_term_grad(int kind, REAL x, REAL y)
{
    if (kind == 0) return (x + x) - (y + y);
    if (kind == 1) return (x - y) / max_nan((1 - x) * x, BCE_EPS);
    return 1 / (1 + exp(-x)) - y;
}

// loss[0] = Σ_r w_r Σ_c ℓ(x, y), divided by Σ w × cols for the mean.
// BCE kinds check their probabilities on the counted rows (target in [0, 1]; BCE's input in [0, 1] or NaN) and
// report the first outside (codes 4, 5) with the value's float bits: the Loss modules' host check, without a read-back.
__kernel void elementwise_loss(int rows, int cols, int kind, int mean, __global const REAL* x, int xo, __global const REAL* y, int yo,
                               __global const REAL* mask, int mo, int hasMask, __global REAL* loss, int lo, __global int* err)
{
    __local REAL scratch[WG];
    int l = get_local_id(0), n = rows * cols;
    REAL total = 0, weight = 0;
    for (int i = l; i < n; i += WG)
    {
        REAL w = hasMask ? mask[mo + i / cols] : (REAL)1;
        if (w == 0) continue;
        REAL xv = x[xo + i], yv = y[yo + i];
        if (kind != 0 && !(yv >= 0 && yv <= 1)) report_error(err, 4, i, as_int((float)yv), 0);
        if (kind == 1 && (xv < 0 || xv > 1)) report_error(err, 5, i, as_int((float)xv), 0);
        total += w * loss_term(kind, xv, yv);
    }
    for (int r = l; r < rows; r += WG) weight += hasMask ? mask[mo + r] : (REAL)1;
    total = wg_reduce(scratch, total, 0);
    weight = wg_reduce(scratch, weight, 0);
    if (l == 0) loss[lo] = mean ? total / (weight * cols) : total;
}

// out[0] = Σ mask over the rows whose target is not ignoreIndex (all rows without targets): a mean's denominator,
// computed on the device so the backward kernels need not wait for the host.
__kernel void row_weight(int rows, __global const REAL* mask, int mo, int hasMask, __global const int* targets, int to, int hasTargets,
                         int ignoreIndex, __global REAL* out, int oo)
{
    __local REAL scratch[WG];
    int l = get_local_id(0);
    REAL weight = 0;
    for (int r = l; r < rows; r += WG)
        if (!hasTargets || targets[to + r] != ignoreIndex) weight += hasMask ? mask[mo + r] : (REAL)1;
    weight = wg_reduce(scratch, weight, 0);
    if (l == 0) out[oo] = weight;
}

// dx = g·w_r/denominator · ∂ℓ/∂x; 0 on masked-out rows. denominator = weight·cols (mean) or 1 (sum), with weight
// read from weightBuf (a row_weight result) when useWeightBuf, else hostWeight.
__kernel void elementwise_loss_backward(int rows, int cols, int kind, int mean, __global const REAL* x, int xo, __global const REAL* y, int yo,
                                        __global const REAL* mask, int mo, int hasMask, __global const REAL* gradOut, int gro, int hasGrad,
                                        __global const REAL* weightBuf, int wbo, int useWeightBuf, REAL hostWeight, __global REAL* dx, int dxo)
{
    int i = get_global_id(0);
    if (i >= rows * cols) return;
    REAL w = hasMask ? mask[mo + i / cols] : (REAL)1;
    if (w == 0) { dx[dxo + i] = 0; return; }
    REAL g = hasGrad ? gradOut[gro] : (REAL)1;
    REAL weight = useWeightBuf ? weightBuf[wbo] : hostWeight;
    REAL perWeight = mean ? g / (weight * cols) : g;
    dx[dxo + i] = (perWeight * w) * loss_term_grad(kind, x[xo + i], y[yo + i]);
}

// loss[0] = Σ w_r·(logsumexp(row) − row[t_r]) over counted rows (target not ignored, w ≠ 0); the mean divides by their Σ w.
// Each work-item takes whole rows (max, then Σ exp) so a row's logsumexp is computed in the reference's order.
__kernel void cross_entropy(int rows, int cols, int mean, int ignoreIndex, __global const REAL* x, int xo, __global const int* targets, int to,
                            __global const REAL* mask, int mo, int hasMask, __global REAL* loss, int lo, __global int* err)
{
    __local REAL scratch[WG];
    int l = get_local_id(0);
    REAL total = 0, weight = 0;
    for (int r = l; r < rows; r += WG)
    {
        int t = targets[to + r];
        REAL w = hasMask ? mask[mo + r] : (REAL)1;
        if (t == ignoreIndex) continue;
        if ((uint)t >= (uint)cols) // reported (code 2), every row as the CPU checks them; the row is not counted
        {
            report_error(err, 2, r, t, cols);
            continue;
        }
        if (w == 0) continue;
        __global const REAL* row = x + xo + (long)r * cols;
        REAL m = -INFINITY;
        for (int c = 0; c < cols; c++) m = max_nan(m, row[c]);
        REAL s = 0;
        for (int c = 0; c < cols; c++) s += exp(row[c] - m);
        total += w * (m + log(s) - row[t]);
        weight += w;
    }
    total = wg_reduce(scratch, total, 0);
    weight = wg_reduce(scratch, weight, 0);
    if (l == 0) loss[lo] = mean ? total / weight : total;
}

// dLogits[r, :] = g·w_r/denominator · (softmax(row) − onehot(t_r)); 0 on ignored and masked-out rows. One work-group
// per row; dLogits may be logits itself (each item rewrites only its own columns, after the row's max and sum are known).
// A skipped row still walks through the barriers (no early return: PoCL's work-group compiler crashes on one).
__kernel void cross_entropy_backward(int rows, int cols, int mean, int ignoreIndex, __global const REAL* x, int xo, __global const int* targets, int to,
                                     __global const REAL* mask, int mo, int hasMask, __global const REAL* gradOut, int gro, int hasGrad,
                                     __global const REAL* weightBuf, int wbo, __global REAL* dx, int dxo, __global int* err)
{
    __local REAL scratch[WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global const REAL* row = x + xo + (long)r * cols;
    __global REAL* drow = dx + dxo + (long)r * cols;
    int t = targets[to + r];
    REAL w = hasMask ? mask[mo + r] : (REAL)1;
    int bad = t != ignoreIndex && (uint)t >= (uint)cols; // reported (code 2) and given a zero gradient
    if (bad && l == 0) report_error(err, 2, r, t, cols);
    int skip = t == ignoreIndex || w == 0 || bad;
    REAL g = hasGrad ? gradOut[gro] : (REAL)1;
    REAL s = (mean ? g / weightBuf[wbo] : g) * w;
    REAL m = -INFINITY;
    if (!skip)
        for (int c = l; c < cols; c += WG) m = max_nan(m, row[c]);
    m = wg_reduce(scratch, m, 1);
    REAL sum = 0;
    if (!skip)
        for (int c = l; c < cols; c += WG) sum += exp(row[c] - m);
    sum = wg_reduce(scratch, sum, 0);
    for (int c = l; c < cols; c += WG)
    {
        REAL p = exp(row[c] - m) / sum;
        drow[c] = skip ? (REAL)0 : s * (c == t ? p - 1 : p);
    }
}
