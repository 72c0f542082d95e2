// CharTextTask's stride (window starts every S symbols) and CharModel's one-hot input, added for `recurrent train`.
using Recurrent.Nn;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tests.Tasks;

public class CharTextStrideTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(40)]
    public void WindowsStartEveryStrideSymbolsAndNeverCrossTheSplit(int stride)
    {
        string text = string.Concat(Enumerable.Range(0, 97).Select(i => (char)('a' + i * 7 % 26)));
        const int seqLen = 5;
        var task = new CharTextTask(text, seqLen, validationFraction: 0.2, stride);
        int[] all = task.Encoded.ToArray();
        foreach (var (windows, start, length) in new[] { (task.Train, 0, task.SplitIndex), (task.Validation, task.SplitIndex, all.Length - task.SplitIndex) })
        {
            // Brute force: every start s = i·stride with s + seqLen + 1 ≤ length.
            var starts = Enumerable.Range(0, length).Where(s => s % stride == 0 && s + seqLen + 1 <= length).ToList();
            Assert.Equal(starts.Count, windows.Count);
            using var batch = windows.All();
            int[] x = batch.Inputs.ToArray<int>(), y = batch.Targets.ToArray<int>();
            for (int i = 0; i < starts.Count; i++)
            {
                Assert.Equal(all.AsSpan(start + starts[i], seqLen).ToArray(), x.AsSpan(i * seqLen, seqLen).ToArray());
                Assert.Equal(all.AsSpan(start + starts[i] + 1, seqLen).ToArray(), y.AsSpan(i * seqLen, seqLen).ToArray());
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new CharTextTask(text, seqLen, 0.2, stride: 0));
    }

    [Fact]
    public void OneHotInputsEqualAnEmbeddingThatIsTheIdentity()
    {
        // One-hot vectors through W_ih pick W_ih's columns: the same as an embedding table equal to the identity.
        const int vocab = 6, hidden = 5;
        var oneHot = new CharModel("gru", vocab, 0, hidden, new Rng(3), Device.Cpu);
        var embedded = new CharModel("gru", vocab, vocab, hidden, new Rng(3), Device.Cpu);
        Assert.Null(oneHot.Embed);
        Assert.DoesNotContain(oneHot.NamedParameters(), p => p.Name.StartsWith("embed.", StringComparison.Ordinal));
        var identity = new float[vocab * vocab];
        for (int i = 0; i < vocab; i++) identity[i * vocab + i] = 1;
        embedded.Embed!.Weight.Value.CopyFrom<float>(identity);
        foreach (var ((_, a), (_, b)) in oneHot.NamedParameters().Zip(embedded.NamedParameters().Where(p => !p.Name.StartsWith("embed.", StringComparison.Ordinal))))
            b.Value.CopyFrom<float>(a.Value.ToArray<float>());

        using var indices = Tensor.From(new[] { 0, 5, 2, 2, 1, 4, 3, 0 }, 2, 4);
        float[] expected = embedded.Forward(indices).ToArray<float>();
        float[] actual = oneHot.Forward(indices).ToArray<float>();
        Assert.Equal(expected, actual);

        // And the gradients reach the recurrent layer the same way.
        var loss = new CrossEntropyLoss();
        using var targets = Tensor.From(new[] { 1, 2, 3, 4, 5, 0, 1, 2 }, 2, 4);
        foreach (var m in new[] { oneHot, embedded })
        {
            m.ZeroGrad();
            loss.Forward(m.Forward(indices), targets);
            m.Backward(loss.Backward());
        }
        Assert.Equal(embedded.Recurrent.NamedParameters().First().Parameter.Grad.ToArray<float>(), oneHot.Recurrent.NamedParameters().First().Parameter.Grad.ToArray<float>());
    }
}
