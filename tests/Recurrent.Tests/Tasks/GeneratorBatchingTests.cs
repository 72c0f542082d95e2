// SequenceBatch and the DataLoader: validation, gathering rows, splits, shuffled epochs.
using Recurrent.Tasks.Data;
using Recurrent.Tensors;
using static Recurrent.Tests.Tasks.GeneratorTestUtil;

namespace Recurrent.Tests.Tasks;

public class GeneratorBatchingTests
{
    private static SequenceBatch Numbered(int n, int t)
    {
        var x = Enumerable.Range(0, n * t * 2).Select(i => (float)i).ToArray();
        var y = Enumerable.Range(0, n).ToArray();
        var m = Enumerable.Range(0, n * t).Select(i => (float)(i % 2)).ToArray();
        var lengths = Enumerable.Range(0, n).Select(i => 1 + i % t).ToArray();
        return new SequenceBatch(Tensor.From(x, n, t, 2), Tensor.From(y, n), Tensor.From(m, n, t), lengths);
    }

    [Fact]
    public void GatherCopiesTheChosenRowsOfEveryPart()
    {
        using var batch = Numbered(6, 3);
        using var g = batch.Gather([4, 1, 4]);
        Assert.Equal([3, 3, 2], g.Inputs.Shape.ToArray());
        Assert.Equal([4, 1, 4], g.Targets.ToArray<int>());
        Assert.Equal(Enumerable.Range(24, 6).Select(i => (float)i), g.Inputs.ToArray<float>().Take(6));
        Assert.Equal([2, 2, 2], g.Lengths!);
        float[] mask = batch.TargetMask!.ToArray<float>();
        Assert.Equal(mask.Skip(3).Take(3), g.TargetMask!.ToArray<float>().Skip(3).Take(3));
        using var s = batch.Slice(2, 3);
        Assert.Equal([2, 3, 4], s.Targets.ToArray<int>());
        using var empty = batch.Slice(6, 0);
        Assert.Equal(0, empty.Count);
        AssertOutOfRange("indices", () => batch.Gather([6]));
        AssertOutOfRange("count", () => batch.Slice(2, 5));
    }

    [Fact]
    public void BatchShapesAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new SequenceBatch(Tensor.Zeros(4), Tensor.Zeros(4, 1)));
        Assert.Throws<ArgumentException>(() => new SequenceBatch(Tensor.Zeros(4, 3, 1), Tensor.Zeros(5, 1)));
        Assert.Throws<ArgumentException>(() => new SequenceBatch(Tensor.Zeros(4, 3, 1), Tensor.Zeros(4, 1), Tensor.Zeros(4, 2)));
        AssertOutOfRange("lengths", () => new SequenceBatch(Tensor.Zeros(2, 3, 1), Tensor.Zeros(2, 1), null, [3, 4]));
        AssertOutOfRange("lengths", () => new SequenceBatch(Tensor.Zeros(2, 3, 1), Tensor.Zeros(2, 1), null, [0, 1]));
    }

    [Fact]
    public void EpochsVisitEveryExampleOnceInASeededOrder()
    {
        using var batch = Numbered(10, 2);
        var rng = new Rng(12);
        var epoch1 = batch.Batches(4, rng).ToList();
        Assert.Equal([4, 4, 2], epoch1.Select(b => b.Count));
        int[] order1 = epoch1.SelectMany(b => b.Targets.ToArray<int>()).ToArray();
        Assert.Equal(Enumerable.Range(0, 10), order1.Order());
        int[] order2 = batch.Batches(4, rng).SelectMany(b => b.Targets.ToArray<int>()).ToArray();
        Assert.NotEqual(order1, order2);
        int[] replay = batch.Batches(4, new Rng(12)).SelectMany(b => b.Targets.ToArray<int>()).ToArray();
        Assert.Equal(order1, replay);
        Assert.Equal(Enumerable.Range(0, 10), batch.Batches(3).SelectMany(b => b.Targets.ToArray<int>()));
        Assert.Equal([3, 3, 3], batch.Batches(3, dropLast: true).Select(b => b.Count));
        Assert.Equal(DataLoader.Permutation(10, new Rng(12)), order1);
        Assert.Empty(DataLoader.Permutation(0, new Rng(1)));
    }

    [Fact]
    public void PermutationsAreUniform()
    {
        // Each of the 6 orders of 3 elements about equally often.
        var rng = new Rng(3);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 6000; i++)
        {
            string key = string.Join(",", DataLoader.Permutation(3, rng));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 880, 1120)); // 1000 ± 4σ
    }
}
