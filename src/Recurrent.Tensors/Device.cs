// A compute device: allocates storage and runs the primitive set. Arguments are checked here, once, for every device.
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tensors;

public enum DeviceKind
{
    Cpu,
    OpenCl,
}

/// <summary>
/// The primitives a recurrent network needs, on one device. Each public method checks its tensors
/// (device, dtype, shape) and throws <see cref="ArgumentException"/> naming the argument and what was
/// expected; the device's <c>…Core</c> override then runs the kernel without checking again.
/// All tensors of a call must live on this device and share a floating-point dtype.
/// </summary>
public abstract partial class Device
{
    /// <summary>The CPU device with every core and the widest SIMD this CPU has.</summary>
    public static CpuDevice Cpu { get; } = new CpuDevice();

    public abstract string Name { get; }
    public abstract DeviceKind Kind { get; }

    public override string ToString() => Name;

    /// <summary>
    /// True when this device can read <paramref name="other"/>'s tensors directly: the same device, or two CPU devices
    /// (they differ only in threads and SIMD level, not in where memory lives).
    /// </summary>
    public bool SharesMemoryWith(Device other) => ReferenceEquals(this, other) || (Kind == DeviceKind.Cpu && other.Kind == DeviceKind.Cpu);

    // ---- memory ----------------------------------------------------------------------------

    public abstract Storage Allocate(DType dtype, long length);

    /// <summary>Copies raw little-endian bytes into <paramref name="destination"/> (exactly its byte length).</summary>
    public void Write(Tensor destination, ReadOnlySpan<byte> source)
    {
        CheckOwn(destination, nameof(destination));
        if (source.Length != destination.Length * destination.DType.SizeInBytes())
            throw new ArgumentException($"expected {destination.Length * destination.DType.SizeInBytes()} bytes for {destination.ShapeText} {destination.DType.Name()}, got {source.Length}", nameof(source));
        WriteCore(destination, source);
    }

    /// <summary>Copies <paramref name="source"/>'s bytes to the host (exactly its byte length).</summary>
    public void Read(Tensor source, Span<byte> destination)
    {
        CheckOwn(source, nameof(source));
        if (destination.Length != source.Length * source.DType.SizeInBytes())
            throw new ArgumentException($"expected {source.Length * source.DType.SizeInBytes()} bytes for {source.ShapeText} {source.DType.Name()}, got {destination.Length}", nameof(destination));
        ReadCore(source, destination);
    }

    protected abstract void WriteCore(Tensor destination, ReadOnlySpan<byte> source);
    protected abstract void ReadCore(Tensor source, Span<byte> destination);

    /// <summary>Waits until every queued operation has finished (a no-op on the CPU).</summary>
    public virtual void Synchronize() { }

    // ---- GEMM --------------------------------------------------------------------------------

    /// <summary>
    /// c = alpha·op(a)·op(b) + beta·c with op(a): [m, k], op(b): [k, n], c: [m, n]; op transposes when asked.
    /// beta = 0 overwrites c without reading it (NaN already in c does not leak).
    /// </summary>
    public void Gemm(Tensor a, bool transA, Tensor b, bool transB, Tensor c, double alpha = 1, double beta = 0)
    {
        var (m, n, k) = CheckGemm(a, transA, b, transB, c, nameof(b), nameof(c));
        GemmCore(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    /// <summary>
    /// Two products sharing op(a), b1 and b2 not transposed: c1 = alpha·op(a)·b1 + beta·c1 and c2 = alpha·op(a)·b2 + beta·c2,
    /// the numbers two <see cref="Gemm(Tensor, bool, Tensor, bool, Tensor, double, double)"/> calls give. A device may
    /// prepare op(a) once for both: the CPU packs it once (a recurrent layer's dW_ih = dGᵀ·X and dW_hh = dGᵀ·H).
    /// </summary>
    public void GemmSharedA(Tensor a, bool transA, Tensor b1, Tensor c1, Tensor b2, Tensor c2, double alpha = 1, double beta = 0)
    {
        var (m, n1, k) = CheckGemm(a, transA, b1, false, c1, nameof(b1), nameof(c1));
        var (_, n2, _) = CheckGemm(a, transA, b2, false, c2, nameof(b2), nameof(c2));
        GemmSharedACore(transA, m, k, n1, n2, alpha, a, b1, c1, b2, c2, beta);
    }

    /// <summary>The shapes of c = op(a)·op(b) after checking them: (m, n, k).</summary>
    private (int M, int N, int K) CheckGemm(Tensor a, bool transA, Tensor b, bool transB, Tensor c, string bName, string cName)
    {
        CheckFloat(a, nameof(a));
        CheckSame(a, b, bName);
        CheckSame(a, c, cName);
        CheckRank(a, 2, nameof(a));
        CheckRank(b, 2, bName);
        CheckRank(c, 2, cName);
        int m = transA ? a.Dim(1) : a.Dim(0);
        int k = transA ? a.Dim(0) : a.Dim(1);
        int kb = transB ? b.Dim(1) : b.Dim(0);
        int n = transB ? b.Dim(0) : b.Dim(1);
        if (kb != k)
            throw new ArgumentException($"{bName} must be {(transB ? $"[n, {k}]" : $"[{k}, n]")} to match a {a.ShapeText} (transA={transA}); got {b.ShapeText}", bName);
        if (c.Dim(0) != m || c.Dim(1) != n)
            throw new ArgumentException($"{cName} must be [{m}, {n}]; got {c.ShapeText}", cName);
        return (m, n, k);
    }

    protected abstract void GemmCore(bool transA, bool transB, int m, int n, int k, double alpha, Tensor a, Tensor b, double beta, Tensor c);

    /// <summary>Default: two products.</summary>
    protected virtual void GemmSharedACore(bool transA, int m, int k, int n1, int n2, double alpha, Tensor a, Tensor b1, Tensor c1,
        Tensor b2, Tensor c2, double beta)
    {
        GemmCore(transA, false, m, n1, k, alpha, a, b1, beta, c1);
        GemmCore(transA, false, m, n2, k, alpha, a, b2, beta, c2);
    }

    // ---- elementwise -------------------------------------------------------------------------

    public void Fill(Tensor y, double value)
    {
        CheckOwn(y, nameof(y));
        FillCore(y, value);
    }

    /// <summary>dst = src, element for element (same element count and dtype; shapes may differ).</summary>
    public void Copy(Tensor source, Tensor destination)
    {
        CheckOwn(source, nameof(source));
        CheckOwn(destination, nameof(destination));
        if (source.DType != destination.DType)
            throw new ArgumentException($"destination must be {source.DType.Name()} like source; got {destination.DType.Name()}", nameof(destination));
        CheckLength(destination, source.Length, nameof(destination));
        CopyCore(source, destination);
    }

    /// <summary>y = a + b.</summary>
    public void Add(Tensor a, Tensor b, Tensor y) => Binary(BinaryOp.Add, a, b, y);

    /// <summary>y = a ⊙ b.</summary>
    public void Mul(Tensor a, Tensor b, Tensor y) => Binary(BinaryOp.Mul, a, b, y);

    private void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        CheckFloat(a, nameof(a));
        CheckSameShape(a, b, nameof(b));
        CheckSameShape(a, y, nameof(y));
        BinaryCore(op, a, b, y);
    }

    /// <summary>y += alpha·x.</summary>
    public void Axpy(double alpha, Tensor x, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSameShape(x, y, nameof(y));
        AxpyCore(alpha, x, y);
    }

    /// <summary>y = alpha·x.</summary>
    public void Scale(double alpha, Tensor x, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSameShape(x, y, nameof(y));
        ScaleCore(alpha, x, y);
    }

    protected enum BinaryOp { Add, Mul }

    protected abstract void FillCore(Tensor y, double value);
    protected abstract void CopyCore(Tensor source, Tensor destination);
    protected abstract void BinaryCore(BinaryOp op, Tensor a, Tensor b, Tensor y);
    protected abstract void AxpyCore(double alpha, Tensor x, Tensor y);
    protected abstract void ScaleCore(double alpha, Tensor x, Tensor y);

    // ---- activations ---------------------------------------------------------------------------

    /// <summary>y = f(x).</summary>
    public void Activate(Activation f, Tensor x, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSameShape(x, y, nameof(y));
        ActivateCore(f, x, y);
    }

    /// <summary>dx = dy ⊙ f′, with f′ written from the forward output y (what backward keeps).</summary>
    public void ActivateBackward(Activation f, Tensor y, Tensor dy, Tensor dx)
    {
        CheckFloat(y, nameof(y));
        CheckSameShape(y, dy, nameof(dy));
        CheckSameShape(y, dx, nameof(dx));
        ActivateBackwardCore(f, y, dy, dx);
    }

    protected abstract void ActivateCore(Activation f, Tensor x, Tensor y);
    protected abstract void ActivateBackwardCore(Activation f, Tensor y, Tensor dy, Tensor dx);

    // ---- rows and columns ------------------------------------------------------------------------

    /// <summary>x[r, c] += bias[c] for x: [rows, cols], bias: [cols].</summary>
    public void AddBias(Tensor x, Tensor bias)
    {
        CheckFloat(x, nameof(x));
        CheckSame(x, bias, nameof(bias));
        var (rows, cols) = Matrix(x, nameof(x));
        CheckLength(bias, cols, nameof(bias), $"[{cols}]");
        AddBiasCore(x, rows, cols, bias);
    }

    /// <summary>y[c] (+)= Σ_r x[r, c]: the bias gradient. x: [rows, cols], y: [cols].</summary>
    public void SumOverRows(Tensor x, Tensor y, bool accumulate = false)
    {
        CheckFloat(x, nameof(x));
        CheckSame(x, y, nameof(y));
        var (rows, cols) = Matrix(x, nameof(x));
        CheckLength(y, cols, nameof(y), $"[{cols}]");
        SumOverRowsCore(x, rows, cols, y, accumulate);
    }

    /// <summary>y[r] (+)= Σ_c x[r, c]. x: [rows, cols], y: [rows].</summary>
    public void SumOverCols(Tensor x, Tensor y, bool accumulate = false)
    {
        CheckFloat(x, nameof(x));
        CheckSame(x, y, nameof(y));
        var (rows, cols) = Matrix(x, nameof(x));
        CheckLength(y, rows, nameof(y), $"[{rows}]");
        SumOverColsCore(x, rows, cols, y, accumulate);
    }

    /// <summary>Row-wise softmax of x: [rows, cols] into y (same shape; may be x).</summary>
    public void Softmax(Tensor x, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSameShape(x, y, nameof(y));
        var (rows, cols) = Matrix(x, nameof(x));
        SoftmaxCore(x, rows, cols, y);
    }

    protected abstract void AddBiasCore(Tensor x, int rows, int cols, Tensor bias);
    protected abstract void SumOverRowsCore(Tensor x, int rows, int cols, Tensor y, bool accumulate);
    protected abstract void SumOverColsCore(Tensor x, int rows, int cols, Tensor y, bool accumulate);
    protected abstract void SoftmaxCore(Tensor x, int rows, int cols, Tensor y);

    // ---- reductions --------------------------------------------------------------------------------
    // Results land in a one-element tensor on the device, so a GPU queue need not stall for them;
    // Item() reads one back when the host needs it.

    public void Sum(Tensor x, Tensor result) => Reduce(ReduceOp.Sum, x, result);
    public void Max(Tensor x, Tensor result) => Reduce(ReduceOp.Max, x, result);
    public void L2Norm(Tensor x, Tensor result) => Reduce(ReduceOp.L2Norm, x, result);

    public double Sum(Tensor x) => ReduceToHost(ReduceOp.Sum, x);
    public double Max(Tensor x) => ReduceToHost(ReduceOp.Max, x);
    public double L2Norm(Tensor x) => ReduceToHost(ReduceOp.L2Norm, x);

    protected enum ReduceOp { Sum, Max, L2Norm }

    private void Reduce(ReduceOp op, Tensor x, Tensor result)
    {
        CheckFloat(x, nameof(x));
        CheckSame(x, result, nameof(result));
        CheckLength(result, 1, nameof(result), "one element");
        ReduceCore(op, x, result);
    }

    private double ReduceToHost(ReduceOp op, Tensor x)
    {
        using var result = Tensor.Zeros(ReadOnlySpan<int>.Empty, x.DType, this);
        Reduce(op, x, result);
        return result.Item();
    }

    protected abstract void ReduceCore(ReduceOp op, Tensor x, Tensor result);

    // ---- embedding -------------------------------------------------------------------------------------

    /// <summary>y[i, :] = table[indices[i], :]. table: [vocab, dim], indices: int32 [n], y: [n, dim].</summary>
    public void EmbeddingGather(Tensor table, Tensor indices, Tensor y)
    {
        CheckFloat(table, nameof(table));
        CheckSame(table, y, nameof(y));
        var (vocab, dim) = Matrix(table, nameof(table));
        int n = CheckIndices(indices);
        if (y.Length != (long)n * dim)
            throw new ArgumentException($"y must hold [{n}, {dim}]; got {y.ShapeText}", nameof(y));
        EmbeddingGatherCore(table, vocab, dim, indices, y);
    }

    /// <summary>dTable[indices[i], :] += dy[i, :]. dy: [n, dim], indices: int32 [n], dTable: [vocab, dim].</summary>
    public void EmbeddingScatterAdd(Tensor dy, Tensor indices, Tensor dTable)
    {
        CheckFloat(dTable, nameof(dTable));
        CheckSame(dTable, dy, nameof(dy));
        var (vocab, dim) = Matrix(dTable, nameof(dTable));
        int n = CheckIndices(indices);
        if (dy.Length != (long)n * dim)
            throw new ArgumentException($"dy must hold [{n}, {dim}]; got {dy.ShapeText}", nameof(dy));
        EmbeddingScatterAddCore(dy, indices, vocab, dim, dTable);
    }

    protected abstract void EmbeddingGatherCore(Tensor table, int vocab, int dim, Tensor indices, Tensor y);
    protected abstract void EmbeddingScatterAddCore(Tensor dy, Tensor indices, int vocab, int dim, Tensor dTable);

    private int CheckIndices(Tensor indices)
    {
        CheckOwn(indices, nameof(indices));
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"indices must be int32; got {indices.DType.Name()}", nameof(indices));
        return checked((int)indices.Length);
    }

    // ---- argument checks, shared by every device ----------------------------------------------------

    protected void CheckOwn(Tensor t, string argument)
    {
        ArgumentNullException.ThrowIfNull(t, argument);
        if (!SharesMemoryWith(t.Device))
            throw new ArgumentException($"{argument} is on {t.Device.Name}; this operation runs on {Name}", argument);
        t.Storage.ThrowIfDisposed();
    }

    protected void CheckFloat(Tensor t, string argument)
    {
        CheckOwn(t, argument);
        if (!t.DType.IsFloatingPoint())
            throw new ArgumentException($"{argument} must be float32 or float64; got {t.DType.Name()}", argument);
    }

    /// <summary>Same device and dtype as <paramref name="reference"/>.</summary>
    protected void CheckSame(Tensor reference, Tensor t, string argument)
    {
        CheckOwn(t, argument);
        if (t.DType != reference.DType)
            throw new ArgumentException($"{argument} must be {reference.DType.Name()} like the other operands; got {t.DType.Name()}", argument);
    }

    protected void CheckSameShape(Tensor reference, Tensor t, string argument)
    {
        CheckSame(reference, t, argument);
        if (!t.SameShape(reference))
            throw new ArgumentException($"{argument} must have shape {reference.ShapeText}; got {t.ShapeText}", argument);
    }

    private static void CheckRank(Tensor t, int rank, string argument)
    {
        if (t.Rank != rank)
            throw new ArgumentException($"{argument} must be rank {rank}; got shape {t.ShapeText}", argument);
    }

    private static void CheckLength(Tensor t, long length, string argument, string? expected = null)
    {
        if (t.Length != length)
            throw new ArgumentException($"{argument} must have {expected ?? length + " elements"}; got {t.ShapeText}", argument);
    }

    /// <summary>A rank-2 view's (rows, cols); rank ≥ 2 tensors are read as [leading dims…, last].</summary>
    private static (int Rows, int Cols) Matrix(Tensor t, string argument)
    {
        if (t.Rank < 2)
            throw new ArgumentException($"{argument} must be [rows, cols] (rank ≥ 2); got {t.ShapeText}", argument);
        long rows = 1;
        for (int i = 0; i < t.Rank - 1; i++) rows *= t.Dim(i);
        return (checked((int)rows), t.Dim(-1));
    }
}
