// Optimizer kernels: the fused Adam/AdamW step and the fused SGD step, one work-item per parameter element.
// The scalars arrive already rounded to REAL from the host's double coefficients, as the reference rounds them.

__kernel void adam_step(int n, REAL beta1, REAL beta2, REAL oneMinusBeta1, REAL oneMinusBeta2, REAL stepSize, REAL bc2Sqrt, REAL eps,
                        REAL l2, REAL decay, __global REAL* param, int po, __global const REAL* grad, int gro,
                        __global REAL* expAvg, int mo, __global REAL* expAvgSq, int vo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL p = param[po + i] * decay;                                   // AdamW: param.mul_(1 - lr*wd)
    REAL g = fma(l2, p, grad[gro + i]);                               // Adam: grad.add(param, alpha=wd)
    REAL m = fma(oneMinusBeta1, g, expAvg[mo + i] * beta1);
    REAL v = fma(oneMinusBeta2, g * g, expAvgSq[vo + i] * beta2);
    REAL denom = sqrt(v) / bc2Sqrt + eps;
    param[po + i] = fma(-stepSize, m / denom, p);
    expAvg[mo + i] = m;
    expAvgSq[vo + i] = v;
}

// d = grad + wd·p; with momentum buf = firstStep ? d : μ·buf + (1 − dampening)·d, d = nesterov ? d + μ·buf : buf; p −= lr·d.
__kernel void sgd_step(int n, REAL lr, REAL mu, REAL wd, REAL oneMinusDampening, int momentum, int firstStep, int nesterov,
                       __global REAL* param, int po, __global const REAL* grad, int gro, __global REAL* buffer, int bo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL d = fma(wd, param[po + i], grad[gro + i]);
    if (momentum)
    {
        REAL b = firstStep ? d : fma(oneMinusDampening, d, buffer[bo + i] * mu);
        buffer[bo + i] = b;
        d = nesterov ? fma(mu, b, d) : b;
    }
    param[po + i] = fma(-lr, d, param[po + i]);
}

// x ·= maxNorm / (total + 1e-6) when below 1 and total is finite: clip_grad_norm_'s scaling with the norm read on the device.
__kernel void clip_by_norm(int n, REAL maxNorm, __global const REAL* total, int to, __global REAL* x, int xo)
{
    int i = get_global_id(0);
    if (i >= n) return;
    REAL t = total[to];
    if (!isfinite(t)) return;
    REAL coef = maxNorm / (t + (REAL)1e-6);
    if (coef < 1) x[xo + i] = x[xo + i] * coef;
}
