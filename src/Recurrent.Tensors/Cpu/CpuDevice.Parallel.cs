// Memory-bound passes over whole sequences (copies, batch-first swaps, the MSE gradient, the bias gradient's column sums) split over the device's threads.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public sealed partial class CpuDevice
{
    // A training step at the middle size moves 3.3 MB tensors between layouts several times while the second core waits
    // (perf: the pool's worker idle 4% of the step). These passes compute every element exactly as before, so splitting
    // them changes no bit. Below this many elements one thread is quicker than a hand-off.
    private const long ParallelPassElements = 1L << 18;

    /// <summary>Parts 0…parts−1 of <paramref name="job"/> on the shared pool; one part runs inline, on this thread.</summary>
    private static void RunParts<TJob>(ref TJob job, int parts) where TJob : struct, IParallelWork
    {
        if (parts == 1) job.Execute(0);
        else if (parts > 1) WorkerPool.Shared(Math.Min(parts, 64)).Run(ref job, parts);
    }

    private int PassParts(long elements) => Threads > 1 && elements >= ParallelPassElements ? Math.Min(Threads, 64) : 1;

    private unsafe void ParallelCopy<T>(ReadOnlySpan<T> source, Span<T> destination) where T : unmanaged
    {
        fixed (T* s = source, d = destination)
        {
            var job = new CopyJob<T> { Source = s, Destination = d, Length = source.Length, Parts = PassParts(source.Length) };
            RunParts(ref job, job.Parts);
        }
    }

    private unsafe void ParallelSwap<T>(ReadOnlySpan<T> x, Span<T> y, int first, int second, int features) where T : unmanaged
    {
        fixed (T* px = x, py = y)
        {
            var job = new SwapJob<T> { X = px, Y = py, Length = x.Length, YLength = y.Length, First = first, Second = second, Features = features,
                Parts = Math.Min(PassParts(x.Length), first) };
            RunParts(ref job, job.Parts);
        }
    }

    /// <summary>Column blocks of the bias gradient's sums: at least one four-vector block (64 floats) per part.</summary>
    private int SumParts(int rows, int cols) => Math.Min(PassParts((long)rows * cols), cols / 64);

    /// <summary>
    /// y (+)= Σ_r x[r, ·] with each part summing its own columns over every row, in row order: a column's sum is the one
    /// thread's, bit for bit (a row split would add partial sums and change them). The middle training step's [6400, 512]
    /// gate gradients took 1.3 ms on one thread, bound by memory.
    /// </summary>
    private unsafe void ParallelSumOverRows<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        fixed (T* px = x, py = y)
        {
            var job = new SumOverRowsJob<T> { X = px, Y = py, XLength = x.Length, YLength = y.Length, Rows = rows, Cols = cols,
                Accumulate = accumulate, Level = Simd, Parts = SumParts(rows, cols) };
            RunParts(ref job, job.Parts);
        }
    }

    private unsafe struct SumOverRowsJob<T> : IParallelWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T* X, Y;
        public int XLength, YLength, Rows, Cols, Parts;
        public bool Accumulate;
        public SimdLevel Level;

        public readonly void Execute(int part)
        {
            // Boundaries on multiples of 64 columns: whole four-vector blocks in every part.
            int blocks = Cols / 64;
            int from = (int)((long)blocks * part / Parts) * 64, to = part == Parts - 1 ? Cols : (int)((long)blocks * (part + 1) / Parts) * 64;
            CpuKernels.SumOverRows(new ReadOnlySpan<T>(X, XLength), Rows, Cols, new Span<T>(Y, YLength), Accumulate, Level, from, to);
        }
    }

    /// <summary>Contiguous element ranges, one per part.</summary>
    private unsafe struct CopyJob<T> : IParallelWork where T : unmanaged
    {
        public T* Source, Destination;
        public int Length, Parts;

        public readonly void Execute(int part)
        {
            long from = (long)Length * part / Parts, to = (long)Length * (part + 1) / Parts;
            new ReadOnlySpan<T>(Source + from, (int)(to - from)).CopyTo(new Span<T>(Destination + from, (int)(to - from)));
        }
    }

    /// <summary>Ranges of the first index: each part writes its own elements of y.</summary>
    private unsafe struct SwapJob<T> : IParallelWork where T : unmanaged
    {
        public T* X, Y;
        public int Length, YLength, First, Second, Features, Parts;

        public readonly void Execute(int part)
        {
            int from = (int)((long)First * part / Parts), to = (int)((long)First * (part + 1) / Parts);
            CellKernels.SwapLeadingDims(new ReadOnlySpan<T>(X, Length), new Span<T>(Y, YLength), First, Second, Features, from, to);
        }
    }

    /// <summary>The MSE gradient without a mask, dx = scale·2(x − y), over contiguous ranges (the kernel's own per-element op).</summary>
    private unsafe void ParallelMseBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx, T scale) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        fixed (T* px = x, py = y, pd = dx)
        {
            var job = new MseBackwardJob<T> { X = px, Y = py, Dx = pd, Length = dx.Length, Scale = scale, Level = Simd, Parts = PassParts(dx.Length) };
            RunParts(ref job, job.Parts);
        }
    }

    private unsafe struct MseBackwardJob<T> : IParallelWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T* X, Y, Dx;
        public int Length, Parts;
        public T Scale;
        public SimdLevel Level;

        public readonly void Execute(int part)
        {
            long from = (long)Length * part / Parts, to = (long)Length * (part + 1) / Parts;
            int n = (int)(to - from);
            KernelDriver.Binary<T, MseGradOp<T>>(new ReadOnlySpan<T>(X + from, n), new ReadOnlySpan<T>(Y + from, n), new Span<T>(Dx + from, n), Scale, Level);
        }
    }

    /// <summary>
    /// The unmasked MSE, reduced as LossDriver.Forward does it — blocks of 4096 elements summed in T, the block sums added
    /// in order in double — with the block sums computed by the threads: the same number, bit for bit.
    /// </summary>
    private unsafe T ParallelMseForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int rows, int cols, Reduction reduction)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int length = rows * cols, blocks = (length + MseBlock - 1) / MseBlock;
        if (_blockSums is null || _blockSums.Length < blocks) _blockSums = new double[blocks];
        fixed (T* px = x, py = y)
        fixed (double* sums = _blockSums)
        {
            var job = new MseBlockSumsJob<T> { X = px, Y = py, Length = length, Blocks = blocks, Sums = sums, Level = Simd, Parts = Math.Min(PassParts(length), blocks) };
            RunParts(ref job, job.Parts);
        }
        double total = 0;
        for (int b = 0; b < blocks; b++) total += _blockSums[b];
        return T.CreateTruncating(reduction == Reduction.Mean ? total / ((double)rows * cols) : total);
    }

    private const int MseBlock = 4096; // LossDriver's ChunkedSum block
    [ThreadStatic] private static double[]? _blockSums; // per thread: a device may be shared by threads that each call it

    private unsafe struct MseBlockSumsJob<T> : IParallelWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T* X, Y;
        public double* Sums;
        public int Length, Blocks, Parts;
        public SimdLevel Level;

        public readonly void Execute(int part)
        {
            int from = (int)((long)Blocks * part / Parts), to = (int)((long)Blocks * (part + 1) / Parts);
            for (int b = from; b < to; b++)
            {
                int start = b * MseBlock, n = Math.Min(MseBlock, Length - start);
                Sums[b] = double.CreateTruncating(LossDriver.Sum<T, MseValueOp<T>>(new ReadOnlySpan<T>(X + start, n), new ReadOnlySpan<T>(Y + start, n), T.Zero, Level));
            }
        }
    }
}
