// The cell steps of variable-length sequences in one launch each: the cell's pointwise step and the masks of rows whose
// sequence has ended (t ≥ len_b): forward they keep their state, backward their gate gradients are 0 and dh (and dc) pass
// straight back, with dhPrev pre-set (dh on ended rows, 0 elsewhere) for the β = 1 GEMM that follows.
// The cell arithmetic is cells.cl's, repeated here so that each kernel stays one pass.

// x [T, B, W]: rows past their sequence's end are zeroed.
__kernel void mask_sequences(int steps, int batch, int width, __global const int* lengths, int lo, __global REAL* x, int xo)
{
    int idx = get_global_id(0);
    if (idx >= steps * batch * width) return;
    int tb = idx / width, b = tb % batch, t = tb / batch;
    if (t >= lengths[lo + b]) x[xo + idx] = 0;
}

__kernel void lstm_forward_masked(int batch, int hidden, int t, __global const int* lengths, int lo,
                                  __global REAL* gates, int go, __global const REAL* cPrev, int cpo, __global REAL* c, int co,
                                  __global const REAL* hPrev, int hpo, __global REAL* h, int ho)
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
    REAL cp = cPrev[cpo + idx];
    if (t >= lengths[lo + b]) // ended: the state stays
    {
        c[co + idx] = cp;
        h[ho + idx] = hPrev[hpo + idx];
        return;
    }
    REAL cn = f * cp + i * gg;
    c[co + idx] = cn;
    h[ho + idx] = o * tanh(cn);
}

__kernel void lstm_backward_masked(int batch, int hidden, int t, __global const int* lengths, int lo,
                                   __global const REAL* gates, int go, __global const REAL* cPrev, int cpo,
                                   __global const REAL* c, int co, __global const REAL* dh, int dho, __global const REAL* dcNext, int dcno,
                                   __global REAL* dGates, int dgo, __global REAL* dcPrev, int dcpo, __global REAL* dcTotal, int dcto, int total,
                                   __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden, j = idx % hidden;
    __global const REAL* g = gates + go + (long)b * 4 * hidden;
    __global REAL* dg = dGates + dgo + (long)b * 4 * hidden;
    REAL i = g[j], f = g[hidden + j], gg = g[2 * hidden + j], o = g[3 * hidden + j];
    REAL tc = tanh(c[co + idx]);
    REAL d = dh[dho + idx];
    REAL dn = dcNext[dcno + idx];
    REAL dc = dn + d * o * (1 - tc * tc);
    if (total) dcTotal[dcto + idx] = dc;
    if (t >= lengths[lo + b]) // ended: no gate gradient; dc and dh pass straight back
    {
        dg[j] = 0;
        dg[hidden + j] = 0;
        dg[2 * hidden + j] = 0;
        dg[3 * hidden + j] = 0;
        dcPrev[dcpo + idx] = dn;
        dhPrev[dhpo + idx] = d;
        return;
    }
    dg[j] = dc * gg * i * (1 - i);
    dg[hidden + j] = dc * cPrev[cpo + idx] * f * (1 - f);
    dg[2 * hidden + j] = dc * i * (1 - gg * gg);
    dg[3 * hidden + j] = d * tc * o * (1 - o);
    dcPrev[dcpo + idx] = dc * f;
    dhPrev[dhpo + idx] = 0;
}

__kernel void gru_forward_masked(int batch, int hidden, int t, __global const int* lengths, int lo,
                                 __global const REAL* xg, int xgo, __global const REAL* hg, int hgo,
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
    REAL hp = hPrev[hpo + idx];
    h[ho + idx] = t >= lengths[lo + b] ? hp : (1 - z) * n + z * hp; // ended: the state stays
}

__kernel void gru_backward_masked(int batch, int hidden, int t, __global const int* lengths, int lo,
                                  __global const REAL* saved, int so, __global const REAL* hPrev, int hpo,
                                  __global const REAL* dh, int dho, __global REAL* dxg, int dxo, __global REAL* dhg, int dhgo,
                                  __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden, j = idx % hidden;
    __global const REAL* sv = saved + so + (long)b * 4 * hidden;
    __global REAL* dx = dxg + dxo + (long)b * 3 * hidden;
    __global REAL* dhr = dhg + dhgo + (long)b * 3 * hidden;
    REAL d = dh[dho + idx];
    if (t >= lengths[lo + b]) // ended: no gate gradient; dh passes straight back
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

// The vanilla RNN: h = f(pre) (f: 0 sigmoid, 1 tanh, 2 relu), an ended row keeping hPrev.
__kernel void rnn_forward_masked(int batch, int hidden, int t, __global const int* lengths, int lo, int f,
                                 __global const REAL* pre, int po, __global const REAL* hPrev, int hpo, __global REAL* h, int ho)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden;
    REAL v = pre[po + idx];
    h[ho + idx] = t >= lengths[lo + b] ? hPrev[hpo + idx] : f == 0 ? sigmoid_stable(v) : f == 1 ? tanh(v) : (v <= 0 ? (REAL)0 : v);
}

// dPre = dh⊙f′ from h, 0 on ended rows; dhPrev = dh on ended rows, 0 elsewhere.
__kernel void rnn_backward_masked(int batch, int hidden, int t, __global const int* lengths, int lo, int f,
                                  __global const REAL* h, int ho, __global const REAL* dh, int dho, __global REAL* dPre, int dpo,
                                  __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden;
    REAL v = h[ho + idx], d = dh[dho + idx];
    bool ended = t >= lengths[lo + b];
    dPre[dpo + idx] = ended ? (REAL)0 : f == 0 ? d * v * (1 - v) : f == 1 ? d * (1 - v * v) : (v > 0 ? d : (REAL)0);
    dhPrev[dhpo + idx] = ended ? d : (REAL)0;
}
