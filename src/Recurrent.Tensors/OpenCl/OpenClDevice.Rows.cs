// The OpenCL device's row/column primitives, whole-tensor reductions and the embedding gather/scatter-add
// (whose indices the kernels check: a bad one is reported by the next host read, see OpenClDevice.Errors.cs).
namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    protected override void AddBiasCore(Tensor x, int rows, int cols, Tensor bias)
    {
        Disjoint(bias, x, nameof(bias), nameof(x));
        Grid(x.DType, "add_bias", cols, rows, [rows, cols, x, bias]);
    }

    protected override void SumOverRowsCore(Tensor x, int rows, int cols, Tensor y, bool accumulate)
    {
        Disjoint(x, y, nameof(x), nameof(y));
        Elementwise(x.DType, "sum_over_rows", cols, [rows, cols, x, y, accumulate]);
    }

    protected override void SumOverColsCore(Tensor x, int rows, int cols, Tensor y, bool accumulate)
    {
        Disjoint(x, y, nameof(x), nameof(y));
        Groups(x.DType, "sum_over_cols", rows, [rows, cols, x, y, accumulate]);
    }

    protected override void SoftmaxCore(Tensor x, int rows, int cols, Tensor y)
    {
        InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        Groups(x.DType, "softmax_rows", rows, [rows, cols, x, y]);
    }

    protected override void RowL2NormsCore(Tensor x, Tensor y, int rows, int cols)
    {
        Disjoint(x, y, nameof(x), nameof(y));
        Groups(x.DType, "row_l2_norms", rows, [rows, cols, x, y]);
    }

    // One work-group, one launch, even for an empty x: the result (0, −∞ or 0) is still written.
    protected override void ReduceCore(ReduceOp op, Tensor x, Tensor result) =>
        Groups(x.DType, "reduce_all", 1, [(int)x.Length, (int)op, x, result]);

    protected override void EmbeddingGatherCore(Tensor table, int vocab, int dim, Tensor indices, Tensor y)
    {
        Disjoint(table, y, nameof(table), nameof(y));
        int n = (int)indices.Length;
        Grid(table.DType, "embedding_gather", dim, n, [n, dim, vocab, table, indices, y, Arg.Errors]);
    }

    protected override void EmbeddingScatterAddCore(Tensor dy, Tensor indices, int vocab, int dim, Tensor dTable)
    {
        Disjoint(dy, dTable, nameof(dy), nameof(dTable));
        int n = (int)indices.Length;
        if (n == 0) return;
        Elementwise(dy.DType, "embedding_scatter_add", dim, [n, dim, vocab, dy, indices, dTable, Arg.Errors]);
    }
}
