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
inline REAL activation(int f, REAL v) { return f == 0 ? sigmoid_stable(v) : f == 1 ? tanh(v) : (v <= 0 ? (REAL)0 : v); }

// d ⊙ f′, written from the forward output y.
inline REAL activation_grad(int f, REAL y, REAL d) { return f == 0 ? d * y * (1 - y) : f == 1 ? d * (1 - y * y) : (y > 0 ? d : (REAL)0); }

__kernel void activate(int n, int f, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    y[yo + i] = activation(f, x[xo + i]);
}

__kernel void activate_backward(int n, int f, __global const REAL* y, int yo, __global const REAL* dy, int dyo, __global REAL* dx, int dxo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    dx[dxo + i] = activation_grad(f, y[yo + i], dy[dyo + i]);
}

// y = min(max(x, lo), hi); NaN stays NaN (both comparisons are false).
__kernel void clamp_values(int n, REAL lo, REAL hi, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL v = x[xo + i];
    y[yo + i] = v < lo ? lo : v > hi ? hi : v;
}
