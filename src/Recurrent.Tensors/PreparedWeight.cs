// A weight matrix arranged once for many products with it: a recurrent layer's W_hh across the time steps.
namespace Recurrent.Tensors;

/// <summary>
/// op(w) of a weight w, for products c = alpha·a·op(w) + beta·c (<see cref="Device.Gemm(Tensor, PreparedWeight, Tensor, double, double)"/>),
/// made by <see cref="Device.Prepare"/>. A device that gains nothing from preparing keeps only the tensor and the
/// transpose flag (the default); the CPU keeps op(w) packed so each product skips the packing a plain GEMM redoes on
/// every call. A snapshot: valid while w's values stay as they were when prepared. Prepare again after an optimizer
/// step, passing the old handle to reuse its memory.
/// </summary>
public class PreparedWeight
{
    protected internal PreparedWeight(Device device, Tensor weight, bool transpose)
    {
        Device = device;
        Weight = weight;
        Transpose = transpose;
        K = transpose ? weight.Dim(1) : weight.Dim(0);
        N = transpose ? weight.Dim(0) : weight.Dim(1);
    }

    public Device Device { get; }

    /// <summary>The tensor last prepared: [K, N], or [N, K] when <see cref="Transpose"/>.</summary>
    public Tensor Weight { get; protected internal set; }

    /// <summary>op(w) = wᵀ.</summary>
    public bool Transpose { get; }

    /// <summary>Rows of op(w): the inner dimension of a·op(w).</summary>
    public int K { get; }

    /// <summary>Columns of op(w) (and of the product).</summary>
    public int N { get; }

    public DType DType => Weight.DType;

    /// <summary>True when <paramref name="weight"/> (as op(weight)) has this handle's shape, dtype and transposition, so its memory can be reused.</summary>
    public bool Fits(Tensor weight, bool transpose) =>
        transpose == Transpose && weight.DType == DType && weight.Rank == 2
        && (transpose ? weight.Dim(1) : weight.Dim(0)) == K && (transpose ? weight.Dim(0) : weight.Dim(1)) == N;
}
