// The OpenCL device's counters: LaunchCount counts enqueued commands, LiveBuffers follows every cl_mem, including ones the finalizer frees.
using System.Runtime.CompilerServices;
using Recurrent.Tensors;
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Tests.OpenCl;

public class OpenClCounterTests
{
    // A device object of its own, so tests running in parallel on the shared one cannot move these counters.
    private static readonly Lazy<OpenClDevice> Private = new(() => new OpenClDevice(OpenClRuntime.Devices()[0]));

    [OpenClFact]
    public void LaunchCountCountsEachCommandAndTransfersDoNot()
    {
        var d = Private.Value;
        var x = Tensor.Zeros([100], DType.Float32, d);
        var y = Tensor.Zeros([100], DType.Float32, d);
        long before = d.LaunchCount;
        d.Add(x, y, y);
        d.Activate(Activation.Tanh, y, y);
        d.Fill(x, 1);
        Assert.Equal(before + 3, d.LaunchCount);
        x.CopyFrom(new float[100]);
        _ = y.ToArray<float>();
        Assert.Equal(before + 3, d.LaunchCount);
        d.Add(x.Narrow(0, 0), y.Narrow(0, 0), y.Narrow(0, 0)); // nothing to do, nothing enqueued
        Assert.Equal(before + 3, d.LaunchCount);
    }

    [OpenClFact]
    public void LiveBuffersFollowsDisposeAndTheFinalizer()
    {
        var d = Private.Value;
        long before = d.LiveBuffers;
        var a = Tensor.Zeros([10], DType.Float32, d);
        var view = a.Narrow(2, 3);
        Assert.Equal(before + 1, d.LiveBuffers);
        view.Dispose(); // a view owns nothing
        Assert.Equal(before + 1, d.LiveBuffers);
        a.Dispose();
        Assert.Equal(before, d.LiveBuffers);

        AllocateAndDrop(d, 50);
        for (int i = 0; i < 5 && d.LiveBuffers != before; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(before, d.LiveBuffers);
        d.Synchronize(); // the queue is still sound after releases from the finalizer thread
        using var after = Tensor.Zeros([4], DType.Float32, d);
        d.Fill(after, 2);
        Assert.Equal([2f, 2f, 2f, 2f], after.ToArray<float>());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateAndDrop(OpenClDevice d, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var t = Tensor.Zeros([1000], DType.Float32, d);
            d.Fill(t, i); // a command still queued when the storage becomes garbage
        }
    }
}
