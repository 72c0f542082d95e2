// No allocation inside the time loop: a steady training step allocates the same bytes for T = 20 as for T = 80.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class AllocationTests
{
    [Theory]
    [InlineData(CellKind.Rnn)]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    public void TrainingStepAllocationDoesNotGrowWithSequenceLength(CellKind cell)
    {
        // Bytes, not time: deterministic for a fixed code path, so it can be asserted.
        long short20 = BytesPerStep(cell, 20), long80 = BytesPerStep(cell, 80);
        Assert.Equal(short20, long80);
    }

    private static long BytesPerStep(CellKind cell, int steps)
    {
        var rng = new Rng(1);
        var options = new RecurrentOptions { BatchFirst = true, Bidirectional = true, NumLayers = 2 };
        RecurrentLayer layer = cell switch
        {
            CellKind.Lstm => new Lstm(3, 8, options, rng),
            CellKind.Gru => new Gru(3, 8, options, rng),
            _ => new Rnn(3, 8, options, rng),
        };
        var head = new Linear(16, 3, true, rng);
        var loss = new MseLoss();
        var adam = new Adam(layer.Parameters().Concat(head.Parameters()));
        var x = Tensor.Zeros(4, steps, 3);
        var target = Tensor.Zeros(4, steps, 3);
        rng.FillUniform(x, -1, 1);
        int[] lengths = [steps, steps - 3, 2, 1];
        void Step()
        {
            adam.ZeroGrad();
            var y = head.Forward(layer.Forward(x, lengths: lengths).Output);
            loss.Forward(y, target);
            layer.Backward(head.Backward(loss.Backward()));
            adam.Step();
        }
        for (int i = 0; i < 3; i++) Step();
        // The fewest bytes over several steps: the runtime itself may allocate now and then (tiered JIT's call counting).
        long fewest = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Step();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
