// Embedding lookup (gather) and its backward (scatter-add). Indices are int32; one outside [0, vocab) is reported
// (report_error, code 1) and its row reads as zeros / adds nothing, so nothing is touched out of bounds.

// y [n, dim] = table [vocab, dim] rows at idx [n]; 2-D range (k, i).
__kernel void embedding_gather(int n, int dim, int vocab, __global const REAL* table, int to, __global const int* idx, int io,
                               __global REAL* y, int yo, __global int* err)
{
    int k = get_global_id(0), i = get_global_id(1);
    if (k >= dim || i >= n) return;
    int row = idx[io + i];
    if ((uint)row >= (uint)vocab)
    {
        if (k == 0) report_error(err, 1, i, row, vocab);
        y[yo + (long)i * dim + k] = 0;
        return;
    }
    y[yo + (long)i * dim + k] = table[to + (long)row * dim + k];
}

// dTable [vocab, dim] += dy [n, dim] at rows idx [n]. One work-item per column walks every index in order, so a
// repeated index adds all its rows with no race and no atomics (and in the reference's order: same sums).
__kernel void embedding_scatter_add(int n, int dim, int vocab, __global const REAL* dy, int dyo, __global const int* idx, int io,
                                    __global REAL* dTable, int dto, __global int* err)
{
    int k = get_global_id(0);
    if (k >= dim) return;
    for (int i = 0; i < n; i++)
    {
        int row = idx[io + i];
        if ((uint)row >= (uint)vocab)
        {
            if (k == 0) report_error(err, 1, i, row, vocab);
            continue;
        }
        dTable[dto + (long)row * dim + k] += dy[dyo + (long)i * dim + k];
    }
}
