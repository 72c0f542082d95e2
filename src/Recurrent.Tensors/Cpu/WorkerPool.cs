// A small persistent thread team for CPU kernels: the caller runs part 0, parked workers run the rest, no per-call allocation.
using System.Runtime.ExceptionServices;

namespace Recurrent.Tensors.Cpu;

/// <summary>One slice of a parallel job. <see cref="Execute"/> may run on any thread of the team, concurrently with other parts.</summary>
public interface IParallelWork
{
    void Execute(int part);
}

/// <summary>
/// A persistent team of <c>threads - 1</c> background workers plus the calling thread.
/// <see cref="Run{TWork}"/> hands out parts 0..parts-1 (the caller always takes part 0 itself, then helps with the rest)
/// and returns when every part has finished. Workers spin briefly after a job (so the next step of a time loop
/// finds them awake), then sleep on a semaphore so an idle pool costs nothing.
/// </summary>
/// <remarks>
/// One job at a time per pool. If the pool is already busy (another thread is using it, or a part calls
/// <see cref="Run{TWork}"/> again), the nested call runs all its parts on its own calling thread, in order:
/// callers that give each part its own output (as the GEMM does) get the same numbers either way.
/// </remarks>
public sealed class WorkerPool
{
    const int MaxThreads = 64;
    static readonly WorkerPool?[] Pools = new WorkerPool?[MaxThreads + 1];
    static readonly object PoolsLock = new();

    /// <summary>How long a worker spins looking for the next job before it goes to sleep.</summary>
    static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // 200 µs

    readonly int _id;
    readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    int _sleepers;
    int _busy;

    // The current job. _ticket packs (generation << 32) | next part index, so a worker claims a part with one CAS
    // that also proves the job it read is still the current one.
    long _ticket;
    int _parts;
    int _done;
    HolderBase? _job;
    Exception? _error;

    /// <summary>Threads in the team, the caller included.</summary>
    public int Threads { get; }

    WorkerPool(int threads, int id)
    {
        Threads = threads;
        _id = id;
        for (int i = 1; i < threads; i++)
        {
            var t = new Thread(WorkerLoop) { IsBackground = true, Name = $"Recurrent.WorkerPool[{threads}] #{i}" };
            t.Start();
        }
    }

    /// <summary>The process-wide pool with <paramref name="threads"/> threads (created on first use, kept forever).</summary>
    public static WorkerPool Shared(int threads)
    {
        if (threads < 1 || threads > MaxThreads)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be in 1..{MaxThreads}.");
        WorkerPool? pool = Volatile.Read(ref Pools[threads]);
        if (pool is not null) return pool;
        lock (PoolsLock)
        {
            pool = Pools[threads];
            if (pool is null)
            {
                pool = new WorkerPool(threads, threads);
                Volatile.Write(ref Pools[threads], pool);
            }
            return pool;
        }
    }

    /// <summary>Runs <c>work.Execute(p)</c> for p in 0..parts-1 across the team and waits for all of them.</summary>
    /// <remarks>The struct is copied once into a per-pool, per-type holder (allocated on first use only), so parts
    /// see it read-only. The first exception thrown by a part is rethrown here after every part has finished.</remarks>
    public void Run<TWork>(ref TWork work, int parts) where TWork : struct, IParallelWork
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        if (parts == 0) return;
        if (parts == 1 || Threads == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            // Inline, with the pooled path's contract: every part runs, then the first exception is rethrown.
            // (Stopping at the first exception left later parts undone whenever another thread held the pool.)
            Exception? first = null;
            for (int p = 0; p < parts; p++)
            {
                try { work.Execute(p); }
                catch (Exception e) { first ??= e; }
            }
            if (first is not null) ExceptionDispatchInfo.Capture(first).Throw();
            return;
        }
        try
        {
            Holder<TWork> holder = Holder<TWork>.For(_id);
            holder.Work = work;
            _job = holder;
            _parts = parts;
            _error = null;
            Volatile.Write(ref _done, 0);
            long generation = (Volatile.Read(ref _ticket) >> 32) + 1;
            Volatile.Write(ref _ticket, (generation << 32) | 1); // part 0 is the caller's
            int sleepers = Interlocked.Exchange(ref _sleepers, 0);
            if (sleepers > 0) _wake.Release(sleepers);

            RunPart(holder, 0);
            while (TryClaim(generation, parts, out int p)) RunPart(holder, p);

            var spin = new SpinWait();
            while (Volatile.Read(ref _done) < parts) spin.SpinOnce(-1);
            // Close the generation before anything of the next job is written: a late worker that read this
            // generation can then never claim a part index that only exists in the next job.
            Volatile.Write(ref _ticket, (generation << 32) | int.MaxValue);
            holder.Work = default;
            _job = null;
            if (_error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    bool TryClaim(long generation, int parts, out int part)
    {
        while (true)
        {
            long t = Volatile.Read(ref _ticket);
            part = (int)(t & 0xffffffff);
            if ((t >> 32) != generation || part >= parts) return false;
            if (Interlocked.CompareExchange(ref _ticket, t + 1, t) == t) return true;
        }
    }

    void RunPart(HolderBase job, int part)
    {
        try { job.Execute(part); }
        catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
        Interlocked.Increment(ref _done);
    }

    void WorkerLoop()
    {
        long seen = 0;
        while (true)
        {
            // Wait for a generation newer than the last one this worker looked at: spin a little, then sleep.
            // The spin is plain pause instructions, never Thread.Yield: yielding hands the core to another process
            // on a busy machine, and the next job would then wait a whole scheduler slice for this worker.
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            while ((Volatile.Read(ref _ticket) >> 32) == seen)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(8);
                    continue;
                }
                Interlocked.Increment(ref _sleepers);
                if ((Volatile.Read(ref _ticket) >> 32) != seen) break; // published while we were registering: a spare permit is harmless
                _wake.Wait();
                start = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            long t = Volatile.Read(ref _ticket);
            seen = t >> 32;
            HolderBase? job = Volatile.Read(ref _job);
            int parts = Volatile.Read(ref _parts);
            if (job is null) continue;
            // TryClaim re-checks the generation, so a job/parts pair read while the caller moved on is never used.
            while (TryClaim(seen, parts, out int p)) RunPart(job, p);
        }
    }

    abstract class HolderBase
    {
        public abstract void Execute(int part);
    }

    sealed class Holder<TWork> : HolderBase where TWork : struct, IParallelWork
    {
        static readonly Holder<TWork>?[] ByPool = new Holder<TWork>?[MaxThreads + 1];
        public TWork Work;

        public static Holder<TWork> For(int poolId) => ByPool[poolId] ??= new Holder<TWork>();

        public override void Execute(int part) => Work.Execute(part);
    }
}
