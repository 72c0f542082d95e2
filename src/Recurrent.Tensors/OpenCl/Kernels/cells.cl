// Fused LSTM and GRU cell kernels (PyTorch gate orders i,f,g,o and r,z,n), forward beside backward.
// One work-item per (row b, hidden unit j) of a [B, H] state; the gate tensors are [B, k·H].

// gates [B, 4H]: pre-activations in, activations (i, f, g, o) out; c = f⊙cPrev + i⊙g; h = o⊙tanh(c).
__kernel void lstm_forward(int batch, int hidden, __global REAL* gates, int go, __global const REAL* cPrev, int cpo,
                           __global REAL* c, int co, __global REAL* h, int ho)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden, j = idx % hidden;
    __global REAL* g = gates + go + (long)b * 4 * hidden;
    REAL i = sigmoid_plain(g[j]), f = sigmoid_plain(g[hidden + j]), gg = tanh(g[2 * hidden + j]), o = sigmoid_plain(g[3 * hidden + j]);
    g[j] = i;
    g[hidden + j] = f;
    g[2 * hidden + j] = gg;
    g[3 * hidden + j] = o;
    REAL cn = f * cPrev[cpo + idx] + i * gg;
    c[co + idx] = cn;
    h[ho + idx] = o * tanh(cn);
}

// dc = dcNext + dh⊙o⊙(1 − tanh²c); dGates [B, 4H] = pre-activation gradients; dcPrev = dc⊙f; dcTotal = dc when asked.
__kernel void lstm_backward(int batch, int hidden, __global const REAL* gates, int go, __global const REAL* cPrev, int cpo,
                            __global const REAL* c, int co, __global const REAL* dh, int dho, __global const REAL* dcNext, int dcno,
                            __global REAL* dGates, int dgo, __global REAL* dcPrev, int dcpo, __global REAL* dcTotal, int dcto, int total)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden, j = idx % hidden;
    __global const REAL* g = gates + go + (long)b * 4 * hidden;
    __global REAL* dg = dGates + dgo + (long)b * 4 * hidden;
    REAL i = g[j], f = g[hidden + j], gg = g[2 * hidden + j], o = g[3 * hidden + j];
    REAL tc = tanh(c[co + idx]);
    REAL d = dh[dho + idx];
    REAL dc = dcNext[dcno + idx] + d * o * (1 - tc * tc);
    dg[j] = dc * gg * i * (1 - i);
    dg[hidden + j] = dc * cPrev[cpo + idx] * f * (1 - f);
    dg[2 * hidden + j] = dc * i * (1 - gg * gg);
    dg[3 * hidden + j] = d * tc * o * (1 - o);
    dcPrev[dcpo + idx] = dc * f;
    if (total) dcTotal[dcto + idx] = dc;
}

// xg, hg [B, 3H] (r, z, n); bhh [3H] when hasBias; saved [B, 4H] = (r, z, n, hg_n + b_hn); h = (1 − z)⊙n + z⊙hPrev.
__kernel void gru_forward(int batch, int hidden, __global const REAL* xg, int xgo, __global const REAL* hg, int hgo,
                          __global const REAL* bhh, int bo, int hasBias, __global const REAL* hPrev, int hpo,
                          __global REAL* saved, int so, __global REAL* h, int ho)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden, j = idx % hidden;
    __global const REAL* x = xg + xgo + (long)b * 3 * hidden;
    __global const REAL* hr = hg + hgo + (long)b * 3 * hidden;
    __global REAL* sv = saved + so + (long)b * 4 * hidden;
    REAL br = hasBias ? bhh[bo + j] : (REAL)0, bz = hasBias ? bhh[bo + hidden + j] : (REAL)0, bn = hasBias ? bhh[bo + 2 * hidden + j] : (REAL)0;
    REAL r = sigmoid_plain(x[j] + hr[j] + br);
    REAL z = sigmoid_plain(x[hidden + j] + hr[hidden + j] + bz);
    REAL hn = hr[2 * hidden + j] + bn;
    REAL n = tanh(x[2 * hidden + j] + r * hn);
    sv[j] = r;
    sv[hidden + j] = z;
    sv[2 * hidden + j] = n;
    sv[3 * hidden + j] = hn;
    h[ho + idx] = (1 - z) * n + z * hPrev[hpo + idx];
}

// From dh: dxg [B, 3H] (gradient of x·W_ihᵀ + b_ih), dhg [B, 3H] (of hPrev·W_hhᵀ + b_hh), dhPrev = dh⊙z (direct path).
__kernel void gru_backward(int batch, int hidden, __global const REAL* saved, int so, __global const REAL* hPrev, int hpo,
                           __global const REAL* dh, int dho, __global REAL* dxg, int dxo, __global REAL* dhg, int dhgo,
                           __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden, j = idx % hidden;
    __global const REAL* sv = saved + so + (long)b * 4 * hidden;
    __global REAL* dx = dxg + dxo + (long)b * 3 * hidden;
    __global REAL* dhr = dhg + dhgo + (long)b * 3 * hidden;
    REAL r = sv[j], z = sv[hidden + j], n = sv[2 * hidden + j], hn = sv[3 * hidden + j];
    REAL d = dh[dho + idx];
    REAL dnPre = d * (1 - z) * (1 - n * n);
    REAL dzPre = d * (hPrev[hpo + idx] - n) * z * (1 - z);
    REAL drPre = dnPre * hn * r * (1 - r);
    dx[j] = drPre;
    dx[hidden + j] = dzPre;
    dx[2 * hidden + j] = dnPre;
    dhr[j] = drPre;
    dhr[hidden + j] = dzPre;
    dhr[2 * hidden + j] = dnPre * r;
    dhPrev[dhpo + idx] = d * z;
}
