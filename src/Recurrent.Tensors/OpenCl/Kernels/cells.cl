// Fused LSTM and GRU cell kernels (PyTorch gate orders i,f,g,o and r,z,n), forward beside backward.
// One work-item per (row b, hidden unit j) of a [B, H] state; the gate tensors are [B, k·H].

// gates [B, 4H]: pre-activations in, activations (i, f, g, o) out; c = f⊙cPrev + i⊙g; h = o⊙tanh(c).
// One unit (row b, unit j); an ended row (the masked kernels of masked_cells.cl) keeps its state: c = cPrev, h = hPrev.
inline void lstm_forward_unit(int b, int j, int hidden, bool ended, __global REAL* gates, int go,
                              __global const REAL* cPrev, int cpo, __global REAL* c, int co,
                              __global const REAL* hPrev, int hpo, __global REAL* h, int ho)
{
    int idx = b * hidden + j;
    __global REAL* g = gates + go + (long)b * 4 * hidden;
    REAL i = sigmoid_plain(g[j]), f = sigmoid_plain(g[hidden + j]), gg = tanh(g[2 * hidden + j]), o = sigmoid_plain(g[3 * hidden + j]);
    g[j] = i;
    g[hidden + j] = f;
    g[2 * hidden + j] = gg;
    g[3 * hidden + j] = o;
    REAL cp = cPrev[cpo + idx];
    if (ended)
    {
        c[co + idx] = cp;
        h[ho + idx] = hPrev[hpo + idx];
        return;
    }
    REAL cn = f * cp + i * gg;
    c[co + idx] = cn;
    h[ho + idx] = o * tanh(cn);
}

__kernel void lstm_forward(int batch, int hidden, __global REAL* gates, int go, __global const REAL* cPrev, int cpo,
                           __global REAL* c, int co, __global REAL* h, int ho)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    lstm_forward_unit(idx / hidden, idx % hidden, hidden, false, gates, go, cPrev, cpo, c, co, h, ho, h, ho);
}

// dc = dcNext + dh⊙o⊙(1 − tanh²c); dGates [B, 4H] = pre-activation gradients; dcPrev = dc⊙f; dcTotal = dc when asked.
// An ended row has no gate gradient and passes dc straight back (dcPrev = dcNext); dcTotal is still its dc.
inline void lstm_backward_unit(int b, int j, int hidden, bool ended, __global const REAL* gates, int go,
                               __global const REAL* cPrev, int cpo, __global const REAL* c, int co,
                               __global const REAL* dh, int dho, __global const REAL* dcNext, int dcno,
                               __global REAL* dGates, int dgo, __global REAL* dcPrev, int dcpo, __global REAL* dcTotal, int dcto, int total)
{
    int idx = b * hidden + j;
    __global const REAL* g = gates + go + (long)b * 4 * hidden;
    __global REAL* dg = dGates + dgo + (long)b * 4 * hidden;
    REAL i = g[j], f = g[hidden + j], gg = g[2 * hidden + j], o = g[3 * hidden + j];
    REAL tc = tanh(c[co + idx]);
    REAL d = dh[dho + idx];
    REAL dn = dcNext[dcno + idx];
    REAL dc = dn + d * o * (1 - tc * tc);
    if (total) dcTotal[dcto + idx] = dc;
    if (ended)
    {
        dg[j] = 0;
        dg[hidden + j] = 0;
        dg[2 * hidden + j] = 0;
        dg[3 * hidden + j] = 0;
        dcPrev[dcpo + idx] = dn;
        return;
    }
    dg[j] = dc * gg * i * (1 - i);
    dg[hidden + j] = dc * cPrev[cpo + idx] * f * (1 - f);
    dg[2 * hidden + j] = dc * i * (1 - gg * gg);
    dg[3 * hidden + j] = d * tc * o * (1 - o);
    dcPrev[dcpo + idx] = dc * f;
}

__kernel void lstm_backward(int batch, int hidden, __global const REAL* gates, int go, __global const REAL* cPrev, int cpo,
                            __global const REAL* c, int co, __global const REAL* dh, int dho, __global const REAL* dcNext, int dcno,
                            __global REAL* dGates, int dgo, __global REAL* dcPrev, int dcpo, __global REAL* dcTotal, int dcto, int total)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    lstm_backward_unit(idx / hidden, idx % hidden, hidden, false, gates, go, cPrev, cpo, c, co, dh, dho, dcNext, dcno,
                       dGates, dgo, dcPrev, dcpo, dcTotal, dcto, total);
}

// xg, hg [B, 3H] (r, z, n); bhh [3H] when hasBias; saved [B, 4H] = (r, z, n, hg_n + b_hn); h = (1 − z)⊙n + z⊙hPrev.
// An ended row keeps its state: h = hPrev.
inline void gru_forward_unit(int b, int j, int hidden, bool ended, __global const REAL* xg, int xgo, __global const REAL* hg, int hgo,
                             __global const REAL* bhh, int bo, int hasBias, __global const REAL* hPrev, int hpo,
                             __global REAL* saved, int so, __global REAL* h, int ho)
{
    int idx = b * hidden + j;
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
    REAL hp = hPrev[hpo + idx];
    h[ho + idx] = ended ? hp : (1 - z) * n + z * hp;
}

__kernel void gru_forward(int batch, int hidden, __global const REAL* xg, int xgo, __global const REAL* hg, int hgo,
                          __global const REAL* bhh, int bo, int hasBias, __global const REAL* hPrev, int hpo,
                          __global REAL* saved, int so, __global REAL* h, int ho)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    gru_forward_unit(idx / hidden, idx % hidden, hidden, false, xg, xgo, hg, hgo, bhh, bo, hasBias, hPrev, hpo, saved, so, h, ho);
}

// From dh: dxg [B, 3H] (gradient of x·W_ihᵀ + b_ih), dhg [B, 3H] (of hPrev·W_hhᵀ + b_hh), dhPrev = dh⊙z (direct path).
// An ended row has no gate gradient and passes dh straight back: dhPrev = dh.
inline void gru_backward_unit(int b, int j, int hidden, bool ended, __global const REAL* saved, int so, __global const REAL* hPrev, int hpo,
                              __global const REAL* dh, int dho, __global REAL* dxg, int dxo, __global REAL* dhg, int dhgo,
                              __global REAL* dhPrev, int dhpo)
{
    int idx = b * hidden + j;
    __global const REAL* sv = saved + so + (long)b * 4 * hidden;
    __global REAL* dx = dxg + dxo + (long)b * 3 * hidden;
    __global REAL* dhr = dhg + dhgo + (long)b * 3 * hidden;
    REAL d = dh[dho + idx];
    if (ended)
    {
        dx[j] = 0;
        dx[hidden + j] = 0;
        dx[2 * hidden + j] = 0;
        dhr[j] = 0;
        dhr[hidden + j] = 0;
        dhr[2 * hidden + j] = 0;
        dhPrev[dhpo + idx] = d;
        return;
    }
    REAL r = sv[j], z = sv[hidden + j], n = sv[2 * hidden + j], hn = sv[3 * hidden + j];
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

__kernel void gru_backward(int batch, int hidden, __global const REAL* saved, int so, __global const REAL* hPrev, int hpo,
                           __global const REAL* dh, int dho, __global REAL* dxg, int dxo, __global REAL* dhg, int dhgo,
                           __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    gru_backward_unit(idx / hidden, idx % hidden, hidden, false, saved, so, hPrev, hpo, dh, dho, dxg, dxo, dhg, dhgo, dhPrev, dhpo);
}
