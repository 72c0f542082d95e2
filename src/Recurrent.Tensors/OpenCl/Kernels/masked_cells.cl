// The cell steps of variable-length sequences in one launch each: the cell's pointwise step (cells.cl's units, the
// activations of elementwise.cl) and the masks of rows whose sequence has ended (t ≥ len_b): forward they keep their
// state, backward their gate gradients are 0 and dh (and dc) pass straight back, with dhPrev pre-set (dh on ended rows,
// 0 elsewhere) for the β = 1 GEMM that follows.

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
    int b = idx / hidden;
    lstm_forward_unit(b, idx % hidden, hidden, t >= lengths[lo + b], gates, go, cPrev, cpo, c, co, hPrev, hpo, h, ho);
}

__kernel void lstm_backward_masked(int batch, int hidden, int t, __global const int* lengths, int lo,
                                   __global const REAL* gates, int go, __global const REAL* cPrev, int cpo,
                                   __global const REAL* c, int co, __global const REAL* dh, int dho, __global const REAL* dcNext, int dcno,
                                   __global REAL* dGates, int dgo, __global REAL* dcPrev, int dcpo, __global REAL* dcTotal, int dcto, int total,
                                   __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden;
    bool ended = t >= lengths[lo + b];
    lstm_backward_unit(b, idx % hidden, hidden, ended, gates, go, cPrev, cpo, c, co, dh, dho, dcNext, dcno,
                       dGates, dgo, dcPrev, dcpo, dcTotal, dcto, total);
    dhPrev[dhpo + idx] = ended ? dh[dho + idx] : (REAL)0;
}

__kernel void gru_forward_masked(int batch, int hidden, int t, __global const int* lengths, int lo,
                                 __global const REAL* xg, int xgo, __global const REAL* hg, int hgo,
                                 __global const REAL* bhh, int bo, int hasBias, __global const REAL* hPrev, int hpo,
                                 __global REAL* saved, int so, __global REAL* h, int ho)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden;
    gru_forward_unit(b, idx % hidden, hidden, t >= lengths[lo + b], xg, xgo, hg, hgo, bhh, bo, hasBias, hPrev, hpo, saved, so, h, ho);
}

__kernel void gru_backward_masked(int batch, int hidden, int t, __global const int* lengths, int lo,
                                  __global const REAL* saved, int so, __global const REAL* hPrev, int hpo,
                                  __global const REAL* dh, int dho, __global REAL* dxg, int dxo, __global REAL* dhg, int dhgo,
                                  __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    int b = idx / hidden;
    gru_backward_unit(b, idx % hidden, hidden, t >= lengths[lo + b], saved, so, hPrev, hpo, dh, dho, dxg, dxo, dhg, dhgo, dhPrev, dhpo);
}

// The vanilla RNN: h = f(pre), an ended row keeping hPrev.
__kernel void rnn_forward_masked(int batch, int hidden, int t, __global const int* lengths, int lo, int f,
                                 __global const REAL* pre, int po, __global const REAL* hPrev, int hpo, __global REAL* h, int ho)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    h[ho + idx] = t >= lengths[lo + idx / hidden] ? hPrev[hpo + idx] : activation(f, pre[po + idx]);
}

// dPre = dh⊙f′ from h, 0 on ended rows; dhPrev = dh on ended rows, 0 elsewhere.
__kernel void rnn_backward_masked(int batch, int hidden, int t, __global const int* lengths, int lo, int f,
                                  __global const REAL* h, int ho, __global const REAL* dh, int dho, __global REAL* dPre, int dpo,
                                  __global REAL* dhPrev, int dhpo)
{
    int idx = get_global_id(0);
    if (idx >= batch * hidden) return;
    REAL d = dh[dho + idx];
    bool ended = t >= lengths[lo + idx / hidden];
    dPre[dpo + idx] = ended ? (REAL)0 : activation_grad(f, h[ho + idx], d);
    dhPrev[dhpo + idx] = ended ? d : (REAL)0;
}
