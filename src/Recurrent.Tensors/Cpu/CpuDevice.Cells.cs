// The CPU device's fused cell and sequence-mask primitives.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public sealed partial class CpuDevice
{
    protected override void LstmCellForwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor h, int batch, int hidden)
    {
        if (gates.DType == DType.Float32)
        {
            SimdLevel level = SimdCellKernels.Effective<float>(Simd);
            int parts = Threads > 1 && (long)batch * hidden >= SplitCellUnits ? Math.Min(Threads, batch) : 1;
            if (parts <= 1) SimdCellKernels.LstmForward<float>(gates.AsSpan<float>(), cPrev.AsSpan<float>(), c.AsSpan<float>(), h.AsSpan<float>(), batch, hidden, level);
            else SplitLstmForward(gates.AsSpan<float>(), cPrev.AsSpan<float>(), c.AsSpan<float>(), h.AsSpan<float>(), batch, hidden, level, parts);
        }
        else SimdCellKernels.LstmForward<double>(gates.AsSpan<double>(), cPrev.AsSpan<double>(), c.AsSpan<double>(), h.AsSpan<double>(), batch, hidden, SimdCellKernels.Effective<double>(Simd));
    }

    /// <summary>
    /// From this many units (batch × hidden) a step's LSTM cell is split over the device's threads by batch rows: 64 × 128
    /// takes ≈ 20 µs on one core, well above the pool's wake-up cost; the small model's 32 × 32 (≈ 3 µs) stays on one.
    /// </summary>
    private const long SplitCellUnits = 64 * 64;

    private static unsafe void SplitLstmForward(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h, int batch, int hidden, SimdLevel level, int parts)
    {
        fixed (float* g = gates, cp = cPrev, cn = c, hn = h)
        {
            var job = new LstmForwardRows { Gates = g, CPrev = cp, C = cn, H = hn, Batch = batch, Hidden = hidden, Level = level, Parts = parts };
            RunParts(ref job, parts);
        }
    }

    /// <summary>One part of a split LSTM step: a contiguous block of batch rows (rows are independent, so the bits are the one-thread bits).</summary>
    private unsafe struct LstmForwardRows : IParallelWork
    {
        public float* Gates, CPrev, C, H;
        public int Batch, Hidden, Parts;
        public SimdLevel Level;

        public readonly void Execute(int part)
        {
            int b0 = Batch * part / Parts, rows = Batch * (part + 1) / Parts - b0;
            if (rows <= 0) return;
            long g = (long)b0 * 4 * Hidden, s = (long)b0 * Hidden;
            int n = rows * Hidden;
            SimdCellKernels.LstmForward<float>(new Span<float>(Gates + g, 4 * n), new ReadOnlySpan<float>(CPrev + s, n), new Span<float>(C + s, n),
                new Span<float>(H + s, n), rows, Hidden, Level);
        }
    }

    protected override void LstmCellBackwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal, int batch, int hidden)
    {
        if (gates.DType == DType.Float32) LstmBackward<float>(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, batch, hidden);
        else LstmBackward<double>(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, batch, hidden);
    }

    private void LstmBackward<T>(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal, int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SimdCellKernels.LstmBackward<T>(gates.AsSpan<T>(), cPrev.AsSpan<T>(), c.AsSpan<T>(), dh.AsSpan<T>(), dcNext.AsSpan<T>(), dGates.AsSpan<T>(), dcPrev.AsSpan<T>(),
            dcTotal is null ? default : dcTotal.AsSpan<T>(), batch, hidden, SimdCellKernels.Effective<T>(Simd));

    protected override void RowL2NormsCore(Tensor x, Tensor y, int rows, int cols)
    {
        if (x.DType == DType.Float32) RowNorms<float>(x, y, rows, cols);
        else RowNorms<double>(x, y, rows, cols);
    }

    private void RowNorms<T>(Tensor x, Tensor y, int rows, int cols) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xs = x.AsSpan<T>();
        Span<T> ys = y.AsSpan<T>();
        for (int r = 0; r < rows; r++) ys[r] = CpuKernels.L2Norm(xs.Slice(r * cols, cols), Simd);
    }

    protected override void GruCellForwardCore(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h, int batch, int hidden)
    {
        if (xg.DType == DType.Float32) GruForward<float>(xg, hg, bhh, hPrev, saved, h, batch, hidden);
        else GruForward<double>(xg, hg, bhh, hPrev, saved, h, batch, hidden);
    }

    private void GruForward<T>(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h, int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SimdCellKernels.GruForward<T>(xg.AsSpan<T>(), hg.AsSpan<T>(), bhh is null ? default : bhh.AsSpan<T>(), hPrev.AsSpan<T>(), saved.AsSpan<T>(), h.AsSpan<T>(), batch, hidden, SimdCellKernels.Effective<T>(Simd));

    protected override void GruCellBackwardCore(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev, int batch, int hidden)
    {
        if (saved.DType == DType.Float32) GruBackward<float>(saved, hPrev, dh, dxg, dhg, dhPrev, batch, hidden);
        else GruBackward<double>(saved, hPrev, dh, dxg, dhg, dhPrev, batch, hidden);
    }

    private void GruBackward<T>(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev, int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SimdCellKernels.GruBackward<T>(saved.AsSpan<T>(), hPrev.AsSpan<T>(), dh.AsSpan<T>(), dxg.AsSpan<T>(), dhg.AsSpan<T>(), dhPrev.AsSpan<T>(), batch, hidden, SimdCellKernels.Effective<T>(Simd));

    protected override void MaskEndedRowsCore(Tensor lengths, int t, Tensor x, Tensor? fallback, int batch, int width)
    {
        if (x.DType == DType.Float32) CellKernels.MaskEndedRows<float>(lengths.AsSpan<int>(), t, x.AsSpan<float>(), fallback is null ? default : fallback.AsSpan<float>(), batch, width);
        else CellKernels.MaskEndedRows<double>(lengths.AsSpan<int>(), t, x.AsSpan<double>(), fallback is null ? default : fallback.AsSpan<double>(), batch, width);
    }

    // The per-step MaskEndedRows over [T, B, W], without a view per step (nothing allocated, as in the time loop).
    protected override void MaskSequencesCore(Tensor lengths, Tensor x, int steps, int batch, int width)
    {
        long stride = (long)batch * width;
        for (int t = 0; t < steps; t++)
        {
            if (x.DType == DType.Float32) CellKernels.MaskEndedRows<float>(lengths.AsSpan<int>(), t, x.AsSpan<float>().Slice((int)(t * stride), (int)stride), default, batch, width);
            else CellKernels.MaskEndedRows<double>(lengths.AsSpan<int>(), t, x.AsSpan<double>().Slice((int)(t * stride), (int)stride), default, batch, width);
        }
    }

    protected override void ReverseSequencesCore(Tensor x, Tensor lengths, Tensor y, int steps, int batch, int features)
    {
        if (x.DType == DType.Float32) CellKernels.ReverseSequences<float>(x.AsSpan<float>(), lengths.AsSpan<int>(), y.AsSpan<float>(), steps, batch, features);
        else CellKernels.ReverseSequences<double>(x.AsSpan<double>(), lengths.AsSpan<int>(), y.AsSpan<double>(), steps, batch, features);
    }

    protected override void ColumnsCore(Tensor src, Tensor dst, int rows, int width, int wideWidth, int column, bool toColumns, bool accumulate)
    {
        if (src.DType == DType.Float32) CellKernels.Columns<float>(src.AsSpan<float>(), dst.AsSpan<float>(), rows, width, wideWidth, column, toColumns, accumulate);
        else CellKernels.Columns<double>(src.AsSpan<double>(), dst.AsSpan<double>(), rows, width, wideWidth, column, toColumns, accumulate);
    }

    protected override void SwapLeadingDimsCore(Tensor x, Tensor y, int first, int second, int features)
    {
        if (PassParts(x.Length) > 1 && first > 1)
        {
            if (x.DType == DType.Float32) ParallelSwap(x.AsSpan<float>(), y.AsSpan<float>(), first, second, features);
            else ParallelSwap(x.AsSpan<double>(), y.AsSpan<double>(), first, second, features);
        }
        else if (x.DType == DType.Float32) CellKernels.SwapLeadingDims<float>(x.AsSpan<float>(), y.AsSpan<float>(), first, second, features);
        else CellKernels.SwapLeadingDims<double>(x.AsSpan<double>(), y.AsSpan<double>(), first, second, features);
    }
}
