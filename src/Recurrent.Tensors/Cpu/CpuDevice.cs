// The CPU device: host memory and the SIMD kernels, with a thread count and a SIMD level of its own.
using System.Numerics;
using System.Runtime.CompilerServices;
using GemmKernel = Recurrent.Tensors.Cpu.Gemm; // "Gemm" alone means Device.Gemm in here

namespace Recurrent.Tensors.Cpu;

public sealed partial class CpuDevice : Device
{
    /// <param name="threads">Threads for the kernels that split work (GEMM); 0 means every core.</param>
    /// <param name="simd">Widest vectors the kernels may use; capped at what this CPU has.</param>
    public CpuDevice(int threads = 0, SimdLevel simd = SimdLevel.Vector512)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        Simd = SimdCaps.Clamp(simd);
    }

    public int Threads { get; }
    public SimdLevel Simd { get; }

    public override string Name => "cpu";
    public override DeviceKind Kind => DeviceKind.Cpu;

    public override Storage Allocate(DType dtype, long length) => new CpuStorage(this, dtype, length);

    protected override void WriteCore(Tensor destination, ReadOnlySpan<byte> source) =>
        source.CopyTo(destination.CpuBytes());

    protected override void ReadCore(Tensor source, Span<byte> destination) =>
        source.CpuBytes().CopyTo(destination);

    protected override void GemmCore(bool transA, bool transB, int m, int n, int k, double alpha, Tensor a, Tensor b, double beta, Tensor c)
    {
        if (a.DType == DType.Float32) Gemm<float>(transA, transB, m, n, k, (float)alpha, a, b, (float)beta, c);
        else Gemm<double>(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    /// <summary>
    /// Shapes the packed kernel serves badly go to kernels built for them: a C a few columns wide (the products with a
    /// small model's input or output size) to <see cref="NarrowGemm"/>, a shallow product (k ≤ 16, e.g. the input
    /// projection x·W_ihᵀ with 5 inputs) to <see cref="SmallGemm"/> with op(B) packed once per call, and a long Aᵀ·B
    /// 9–32 columns wide (the weight gradients of a 16-unit layer over a big batch) to <see cref="OuterProductGemm"/>.
    /// </summary>
    private void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha, Tensor a, Tensor b, T beta, Tensor c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int lda = a.Dim(1), ldb = b.Dim(1), ldc = c.Dim(1);
        if (NarrowGemm.Applies(transA, m, n, k))
            NarrowGemm.Run(transA, transB, m, n, k, alpha, a.AsSpan<T>(), lda, b.AsSpan<T>(), ldb, beta, c.AsSpan<T>(), ldc, Simd);
        else if (Shallow(transA, m, k))
        {
            Span<T> packed = Scratch.Get<T>(SmallGemm.PackedLength(k, n));
            SmallGemm.PackB<T>(transB, k, n, b.AsSpan<T>(), ldb, packed);
            SmallGemm.Run(m, n, k, alpha, a.AsSpan<T>(), lda, packed, beta, c.AsSpan<T>(), ldc, Simd);
        }
        else if (OuterProduct<T>(transA, transB, n, k))
            OuterProductGemm.Run(m, n, k, Unsafe.As<T, float>(ref alpha), a.AsSpan<float>(), lda, b.AsSpan<float>(), ldb, Unsafe.As<T, float>(ref beta), c.AsSpan<float>(), ldc);
        else GemmKernel.Run(transA, transB, m, n, k, alpha, a.AsSpan<T>(), lda, b.AsSpan<T>(), ldb, beta, c.AsSpan<T>(), ldc, Threads, Simd);
    }

    private const int ShallowDepth = 16;

    private static bool Shallow(bool transA, int m, int k) => !transA && k is >= 1 and <= ShallowDepth && m >= 16;

    private bool OuterProduct<T>(bool transA, bool transB, int n, int k) => typeof(T) == typeof(float) && OuterProductGemm.Applies(transA, transB, n, k, Simd);

    /// <summary>Whether <see cref="Gemm{T}"/> sends this shape to the packed kernel (the one that packs op(A)).</summary>
    private bool Packed<T>(bool transA, bool transB, int m, int n, int k) =>
        !NarrowGemm.Applies(transA, m, n, k) && !Shallow(transA, m, k) && !OuterProduct<T>(transA, transB, n, k);

    protected override void GemmSharedACore(bool transA, int m, int k, int n1, int n2, double alpha, Tensor a, Tensor b1, Tensor c1,
        Tensor b2, Tensor c2, double beta)
    {
        if (a.DType == DType.Float32) GemmSharedA<float>(transA, m, k, n1, n2, (float)alpha, a, b1, c1, b2, c2, (float)beta);
        else GemmSharedA<double>(transA, m, k, n1, n2, alpha, a, b1, c1, b2, c2, beta);
    }

    /// <summary>Both products on the packed kernel: op(A) packed once for both. Otherwise (a narrow, shallow or outer-product
    /// shape, which packs no op(A)) two calls, each to its own kernel.</summary>
    private void GemmSharedA<T>(bool transA, int m, int k, int n1, int n2, T alpha, Tensor a, Tensor b1, Tensor c1, Tensor b2, Tensor c2, T beta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!Packed<T>(transA, false, m, n1, k) || !Packed<T>(transA, false, m, n2, k))
        {
            Gemm(transA, false, m, n1, k, alpha, a, b1, beta, c1);
            Gemm(transA, false, m, n2, k, alpha, a, b2, beta, c2);
            return;
        }
        GemmKernel.RunShared(transA, m, k, alpha, a.AsSpan<T>(), a.Dim(1), n1, b1.AsSpan<T>(), b1.Dim(1), c1.AsSpan<T>(), c1.Dim(1),
            n2, b2.AsSpan<T>(), b2.Dim(1), c2.AsSpan<T>(), c2.Dim(1), beta, Threads, Simd);
    }

    protected override void FillCore(Tensor y, double value)
    {
        switch (y.DType)
        {
            case DType.Float32: CpuKernels.Fill(y.AsSpan<float>(), (float)value, Simd); break;
            case DType.Float64: CpuKernels.Fill(y.AsSpan<double>(), value, Simd); break;
            default: y.AsSpan<int>().Fill(checked((int)value)); break;
        }
    }

    protected override void CopyCore(Tensor source, Tensor destination)
    {
        switch (source.DType)
        {
            case DType.Float32 when PassParts(source.Length) > 1: ParallelCopy(source.AsSpan<float>(), destination.AsSpan<float>()); break;
            case DType.Float64 when PassParts(source.Length) > 1: ParallelCopy(source.AsSpan<double>(), destination.AsSpan<double>()); break;
            case DType.Float32: CpuKernels.Copy<float>(source.AsSpan<float>(), destination.AsSpan<float>(), Simd); break;
            case DType.Float64: CpuKernels.Copy<double>(source.AsSpan<double>(), destination.AsSpan<double>(), Simd); break;
            default: source.AsSpan<int>().CopyTo(destination.AsSpan<int>()); break;
        }
    }

    protected override void BinaryCore(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        if (a.DType == DType.Float32) Binary<float>(op, a, b, y);
        else Binary<double>(op, a, b, y);
    }

    private void Binary<T>(BinaryOp op, Tensor a, Tensor b, Tensor y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (op == BinaryOp.Add) CpuKernels.Add<T>(a.AsSpan<T>(), b.AsSpan<T>(), y.AsSpan<T>(), Simd);
        else CpuKernels.Mul<T>(a.AsSpan<T>(), b.AsSpan<T>(), y.AsSpan<T>(), Simd);
    }

    protected override void AxpyCore(double alpha, Tensor x, Tensor y)
    {
        if (x.DType == DType.Float32) CpuKernels.Axpy<float>((float)alpha, x.AsSpan<float>(), y.AsSpan<float>(), Simd);
        else CpuKernels.Axpy<double>(alpha, x.AsSpan<double>(), y.AsSpan<double>(), Simd);
    }

    protected override void ScaleCore(double alpha, Tensor x, Tensor y)
    {
        if (x.DType == DType.Float32) CpuKernels.Scale<float>((float)alpha, x.AsSpan<float>(), y.AsSpan<float>(), Simd);
        else CpuKernels.Scale<double>(alpha, x.AsSpan<double>(), y.AsSpan<double>(), Simd);
    }

    protected override void ActivateCore(Activation f, Tensor x, Tensor y)
    {
        if (x.DType == DType.Float32) Activate<float>(f, x, y);
        else Activate<double>(f, x, y);
    }

    private void Activate<T>(Activation f, Tensor x, Tensor y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xs = x.AsSpan<T>();
        Span<T> ys = y.AsSpan<T>();
        switch (f)
        {
            case Activation.Sigmoid: CpuKernels.Sigmoid(xs, ys, Simd); break;
            case Activation.Tanh: CpuKernels.Tanh(xs, ys, Simd); break;
            case Activation.Relu: CpuKernels.Relu(xs, ys, Simd); break;
            default: throw new ArgumentOutOfRangeException(nameof(f), f, "unknown activation");
        }
    }

    protected override void ActivateBackwardCore(Activation f, Tensor y, Tensor dy, Tensor dx)
    {
        if (y.DType == DType.Float32) ActivateBackward<float>(f, y, dy, dx);
        else ActivateBackward<double>(f, y, dy, dx);
    }

    private void ActivateBackward<T>(Activation f, Tensor y, Tensor dy, Tensor dx) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> ys = y.AsSpan<T>(), dys = dy.AsSpan<T>();
        Span<T> dxs = dx.AsSpan<T>();
        switch (f)
        {
            case Activation.Sigmoid: CpuKernels.SigmoidBackward(ys, dys, dxs, Simd); break;
            case Activation.Tanh: CpuKernels.TanhBackward(ys, dys, dxs, Simd); break;
            case Activation.Relu: CpuKernels.ReluBackward(ys, dys, dxs, Simd); break;
            default: throw new ArgumentOutOfRangeException(nameof(f), f, "unknown activation");
        }
    }

    protected override void AddBiasCore(Tensor x, int rows, int cols, Tensor bias)
    {
        if (x.DType == DType.Float32) CpuKernels.AddBias<float>(x.AsSpan<float>(), rows, cols, bias.AsSpan<float>(), Simd);
        else CpuKernels.AddBias<double>(x.AsSpan<double>(), rows, cols, bias.AsSpan<double>(), Simd);
    }

    protected override void SumOverRowsCore(Tensor x, int rows, int cols, Tensor y, bool accumulate)
    {
        if (SumParts(rows, cols) > 1)
        {
            if (x.DType == DType.Float32) ParallelSumOverRows(x.AsSpan<float>(), rows, cols, y.AsSpan<float>(), accumulate);
            else ParallelSumOverRows(x.AsSpan<double>(), rows, cols, y.AsSpan<double>(), accumulate);
        }
        else if (x.DType == DType.Float32) CpuKernels.SumOverRows<float>(x.AsSpan<float>(), rows, cols, y.AsSpan<float>(), accumulate, Simd);
        else CpuKernels.SumOverRows<double>(x.AsSpan<double>(), rows, cols, y.AsSpan<double>(), accumulate, Simd);
    }

    protected override void SumOverColsCore(Tensor x, int rows, int cols, Tensor y, bool accumulate)
    {
        if (x.DType == DType.Float32) CpuKernels.SumOverCols<float>(x.AsSpan<float>(), rows, cols, y.AsSpan<float>(), accumulate, Simd);
        else CpuKernels.SumOverCols<double>(x.AsSpan<double>(), rows, cols, y.AsSpan<double>(), accumulate, Simd);
    }

    protected override void SoftmaxCore(Tensor x, int rows, int cols, Tensor y)
    {
        if (x.DType == DType.Float32) CpuKernels.Softmax<float>(x.AsSpan<float>(), rows, cols, y.AsSpan<float>(), Simd);
        else CpuKernels.Softmax<double>(x.AsSpan<double>(), rows, cols, y.AsSpan<double>(), Simd);
    }

    protected override void ReduceCore(ReduceOp op, Tensor x, Tensor result)
    {
        if (x.DType == DType.Float32) result.AsSpan<float>()[0] = Reduce<float>(op, x.AsSpan<float>());
        else result.AsSpan<double>()[0] = Reduce<double>(op, x.AsSpan<double>());
    }

    private T Reduce<T>(ReduceOp op, ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => op switch
    {
        ReduceOp.Sum => CpuKernels.Sum(x, Simd),
        ReduceOp.Max => CpuKernels.Max(x, Simd),
        _ => CpuKernels.L2Norm(x, Simd),
    };

    protected override void EmbeddingGatherCore(Tensor table, int vocab, int dim, Tensor indices, Tensor y)
    {
        if (table.DType == DType.Float32) CpuKernels.EmbeddingGather<float>(table.AsSpan<float>(), vocab, dim, indices.AsSpan<int>(), y.AsSpan<float>(), Simd);
        else CpuKernels.EmbeddingGather<double>(table.AsSpan<double>(), vocab, dim, indices.AsSpan<int>(), y.AsSpan<double>(), Simd);
    }

    protected override void EmbeddingScatterAddCore(Tensor dy, Tensor indices, int vocab, int dim, Tensor dTable)
    {
        if (dy.DType == DType.Float32) CpuKernels.EmbeddingScatterAdd<float>(dy.AsSpan<float>(), indices.AsSpan<int>(), vocab, dim, dTable.AsSpan<float>(), Simd);
        else CpuKernels.EmbeddingScatterAdd<double>(dy.AsSpan<double>(), indices.AsSpan<int>(), vocab, dim, dTable.AsSpan<double>(), Simd);
    }
}
