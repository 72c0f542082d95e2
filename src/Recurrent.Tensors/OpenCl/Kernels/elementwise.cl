// Elementwise kernels: add/mul, axpy, scale, activations forward and backward, clamp. One work-item per element.

// y = a + b (op 0) or a ⊙ b (op 1); y may be a or b (same offset).
__kernel void binary(int n, int op, __global const REAL* a, int ao, __global const REAL* b, int bo, __global REAL* y, int yo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL u = a[ao + i], v = b[bo + i];
    y[yo + i] = op == 0 ? u + v : u * v;
}

// y += alpha·x with one rounding, as the reference's FusedMultiplyAdd.
__kernel void axpy(int n, REAL alpha, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    y[yo + i] = fma(alpha, x[xo + i], y[yo + i]);
}

__kernel void scale(int n, REAL alpha, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    y[yo + i] = alpha * x[xo + i];
}

// f: 0 sigmoid, 1 tanh, 2 relu (the Activation enum's order). relu(NaN) = NaN: the comparison is false for NaN.
__kernel void activate(int n, int f, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL v = x[xo + i];
    y[yo + i] = f == 0 ? sigmoid_stable(v) : f == 1 ? tanh(v) : (v <= 0 ? (REAL)0 : v);
}

// dx = dy ⊙ f′ written from the forward output y.
__kernel void activate_backward(int n, int f, __global const REAL* y, int yo, __global const REAL* dy, int dyo, __global REAL* dx, int dxo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL v = y[yo + i], d = dy[dyo + i];
    dx[dxo + i] = f == 0 ? d * v * (1 - v) : f == 1 ? d * (1 - v * v) : (v > 0 ? d : (REAL)0);
}

// y = min(max(x, lo), hi); NaN stays NaN (both comparisons are false).
__kernel void clamp_values(int n, REAL lo, REAL hi, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL v = x[xo + i];
    y[yo + i] = v < lo ? lo : v > hi ? hi : v;
}
