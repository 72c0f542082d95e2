// Bad input on the OpenCL device: kernels clamp and record it, the next host read throws it; uploads and steps do not wait.
using Recurrent.Nn;
using Recurrent.Tensors;
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Tests.OpenCl;

public class OpenClKernelErrorTests
{
    // A device object of its own: HostWaits counts only this test class's work, and an error left behind cannot leak into other tests.
    private static readonly Lazy<OpenClDevice> Private = new(() => new OpenClDevice(OpenClRuntime.Devices()[0]));

    [OpenClFact]
    public void ScatterAddWithABadIndexAddsTheGoodRowsAndReportsTheBadOne()
    {
        var d = Private.Value;
        var dTable = Tensor.Zeros([3, 2], DType.Float32, d);
        var dy = Tensor.From<float>([1, 2, 3, 4, 5, 6], [3, 2], d);
        var indices = Tensor.From<int>([2, -1, 0], [3], d);
        d.EmbeddingScatterAdd(dy, indices, dTable);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => d.Synchronize());
        Assert.Equal("indices", e.ParamName);
        Assert.Contains("indices[1] = -1 is outside [0, 3)", e.Message);
        Assert.Equal([5f, 6f, 0f, 0f, 1f, 2f], dTable.ToArray<float>());
    }

    [OpenClFact]
    public void ALengthPastTheStepsIsClampedAndReported()
    {
        var d = Private.Value;
        var x = Tensor.From<float>([1, 2, 3, 4, 5, 6], [3, 2, 1], d); // [T 3, B 2, F 1]
        var y = Tensor.Zeros([3, 2, 1], DType.Float32, d);
        var lengths = Tensor.From<int>([3, 7], [2], d);
        d.ReverseSequences(x, lengths, y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => y.ToArray<float>());
        Assert.Contains("lengths[1] = 7 is outside [0, 3]", e.Message);
        Assert.Equal([5f, 6f, 3f, 4f, 1f, 2f], y.ToArray<float>()); // row 1 reversed over all 3 steps
    }

    /// <summary>The Loss modules skip their host scan on OpenCL (it would wait for the queue); the kernel reports the same mistake.</summary>
    [OpenClFact]
    public void BceTargetsOutsideZeroOneAreReportedWithoutAReadBackInForward()
    {
        var d = Private.Value;
        var input = Tensor.Zeros([2, 2], DType.Float32, d);
        var target = Tensor.From<float>([0, 1, 1.5f, 0], [2, 2], d);
        var loss = new BceWithLogitsLoss();
        long waits = d.HostWaits;
        var l = loss.Forward(input, target);
        Assert.Equal(waits, d.HostWaits);
        var e = Assert.Throws<ArgumentException>(() => l.Item());
        Assert.Equal("target", e.ParamName);
        Assert.Contains("target element 2 (flat) = 1.5 is outside [0, 1]", e.Message);

        // On the CPU device the module still checks at the call, naming the position.
        var cpu = Assert.Throws<ArgumentException>(() => loss.Forward(Tensor.Zeros(2, 2), Tensor.From([0f, 1, 1.5f, 0], 2, 2)));
        Assert.Contains("target[1, 0] = 1.5", cpu.Message);
    }

    [OpenClFact]
    public void UploadsDoNotWaitAndReadsCountOneWaitEach()
    {
        var d = Private.Value;
        long waits = d.HostWaits;
        var tensors = new List<Tensor>();
        for (int i = 0; i < 50; i++)
        {
            var values = Enumerable.Range(0, 1000).Select(k => (float)(k + i)).ToArray();
            tensors.Add(Tensor.From<float>(values, [1000], d));
        }
        Assert.Equal(waits, d.HostWaits);
        for (int i = 0; i < 50; i += 7) Assert.Equal(i + 999f, tensors[i].ToArray<float>()[999]); // the staged bytes arrived
        Assert.Equal(waits + 8, d.HostWaits);
    }
}
