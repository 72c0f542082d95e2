// GEMM: C [M, N] = alpha·op(A)·op(B) + beta·C, row-major, either operand transposed, any sizes.
// Tiled in local memory with register blocking: a work-group of RTS×RTS items computes a GEMM_TS×GEMM_TS tile of C,
// each item a GEMM_WPT×GEMM_WPT block of it (rows ty + w·RTS, columns tx + w·RTS: strided, so stores coalesce
// across tx and local reads hit distinct banks). K advances GEMM_TSK at a time through the two local tiles.
// Edges (sizes that are not multiples of the tile) load zeros and skip the stores.

#define TS GEMM_TS
#define WPT GEMM_WPT
#define RTS (GEMM_TS / GEMM_WPT)
#define TSK 16
#define LOADS (TS * TSK / (RTS * RTS))

__kernel __attribute__((reqd_work_group_size(RTS, RTS, 1)))
void gemm(int transA, int transB, int M, int N, int K, REAL alpha,
          __global const REAL* A, int ao, int lda,
          __global const REAL* B, int bo, int ldb,
          REAL beta, __global REAL* C, int co, int ldc)
{
    __local REAL As[TSK][TS + 1]; // As[p][i] = op(A)[row0 + i, p0 + p]
    __local REAL Bs[TSK][TS + 1]; // Bs[p][j] = op(B)[p0 + p, col0 + j]
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int col0 = get_group_id(0) * TS, row0 = get_group_id(1) * TS;
    const int tid = ty * RTS + tx;

    REAL acc[WPT][WPT];
    for (int wi = 0; wi < WPT; wi++)
        for (int wj = 0; wj < WPT; wj++) acc[wi][wj] = 0;

    for (int p0 = 0; p0 < K; p0 += TSK)
    {
        for (int l = 0; l < LOADS; l++)
        {
            int e = tid + l * RTS * RTS;
            // Consecutive items read consecutive addresses: along p when A is [M, K], along i when it is [K, M].
            int i = transA ? e % TS : e / TSK, p = transA ? e / TS : e % TSK;
            int gi = row0 + i, gp = p0 + p;
            As[p][i] = gi < M && gp < K ? (transA ? A[ao + (long)gp * lda + gi] : A[ao + (long)gi * lda + gp]) : (REAL)0;
            int j = transB ? e / TSK : e % TS, q = transB ? e % TSK : e / TS;
            int gj = col0 + j, gq = p0 + q;
            Bs[q][j] = gj < N && gq < K ? (transB ? B[bo + (long)gj * ldb + gq] : B[bo + (long)gq * ldb + gj]) : (REAL)0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TSK; p++)
        {
            REAL b[WPT];
            for (int wj = 0; wj < WPT; wj++) b[wj] = Bs[p][tx + wj * RTS];
            for (int wi = 0; wi < WPT; wi++)
            {
                REAL a = As[p][ty + wi * RTS];
                for (int wj = 0; wj < WPT; wj++) acc[wi][wj] = fma(a, b[wj], acc[wi][wj]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int wi = 0; wi < WPT; wi++)
    {
        int row = row0 + ty + wi * RTS;
        if (row >= M) continue;
        for (int wj = 0; wj < WPT; wj++)
        {
            int col = col0 + tx + wj * RTS;
            if (col >= N) continue;
            __global REAL* c = C + co + (long)row * ldc + col;
            // beta = 0 never reads C, so a NaN already there does not leak.
            *c = beta == 0 ? alpha * acc[wi][wj] : alpha * acc[wi][wj] + beta * *c;
        }
    }
}
