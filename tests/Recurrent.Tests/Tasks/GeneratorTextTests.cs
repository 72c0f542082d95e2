// Character-level text: vocabulary as sorted(set(text)) over Unicode scalar values, windows, splits, batches.
using System.Text;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Data.Corpus;
using Recurrent.Tensors;
using static Recurrent.Tests.Tasks.GeneratorTestUtil;

namespace Recurrent.Tests.Tasks;

public class GeneratorTextTests
{
    [Fact]
    public void VocabularyIsSortedSetOfTheRhyme()
    {
        var v = CharVocabulary.FromText(BuiltInCorpus.NurseryRhyme);
        // Python: sorted(set(text)) for seed 004's rhyme.
        Assert.Equal("\n !,.HILTUabdeghiklmnoprstuvwy", string.Concat(v.Symbols.Select(r => r.ToString())));
        Assert.Equal(30, v.Size);
        Assert.Equal(113, BuiltInCorpus.NurseryRhyme.Length);
        Assert.Equal(0, v.IndexOf(new Rune('\n')));
        Assert.Equal('T', (char)v[8].Value);
    }

    [Fact]
    public void VocabularyRoundTripsNonBmpText()
    {
        const string text = "héllo 😀 wörld \uFFFD 𝄞 abc 😀!\r\n";
        var v = CharVocabulary.FromText(text);
        int[] encoded = v.Encode(text);
        Assert.Equal(text, v.Decode(encoded));
        Assert.Equal(text.EnumerateRunes().Count(), encoded.Length); // 😀 is one symbol, not two UTF-16 chars
        Assert.Equal(encoded[6], encoded[^4]); // both 😀
        // Sorted by code point: U+FFFD < U+1D11E (𝄞) < U+1F600 (😀), though UTF-16 ordinal order would put surrogates first.
        Assert.Equal([0xFFFD, 0x1D11E, 0x1F600], v.Symbols.TakeLast(3).Select(r => r.Value).ToArray());
        Assert.True(v.Symbols.Zip(v.Symbols.Skip(1)).All(p => p.First.Value < p.Second.Value));
    }

    [Fact]
    public void VocabularyRejectsUnpairedSurrogatesAndUnknownSymbols()
    {
        var e = Assert.Throws<ArgumentException>(() => CharVocabulary.FromText("ab\uD83Dc"));
        Assert.Equal("text", e.ParamName);
        Assert.Contains("unpaired surrogate", e.Message);
        var v = CharVocabulary.FromText("abc");
        Assert.Throws<ArgumentException>(() => v.Encode("abd"));
        AssertOutOfRange("indices", () => v.Decode([0, 3]));
        AssertOutOfRange("index", () => _ = v[-1]);
    }

    [Fact]
    public void WindowsPredictTheNextSymbol()
    {
        var task = new CharTextTask(validationFraction: 0); // the notebook: no validation split
        Assert.Equal((40, 30, 113), (task.SeqLen, task.VocabSize, task.Encoded.Length));
        Assert.Equal(73, task.Train.Count); // len(text) − seq_len
        Assert.Equal(0, task.Validation.Count);
        using var all = task.Train.All();
        Assert.Equal([73, 40], all.Inputs.Shape.ToArray());
        Assert.Equal([73, 40], all.Targets.Shape.ToArray());
        Assert.Equal(DType.Int32, all.Inputs.DType);
        Assert.Equal(DType.Int32, all.Targets.DType);
        int[] x = all.Inputs.ToArray<int>(), y = all.Targets.ToArray<int>();
        ReadOnlySpan<int> stream = task.Encoded;
        for (int i = 0; i < 73; i++)
            for (int t = 0; t < 40; t++)
            {
                Assert.Equal(stream[i + t], x[i * 40 + t]);
                Assert.Equal(stream[i + t + 1], y[i * 40 + t]);
            }
        Assert.Equal(task.Text[..40], task.Vocabulary.Decode(x.AsSpan(0, 40)));
        Assert.Equal(BuiltInCorpus.NurseryRhyme, task.Vocabulary.Decode(task.Encoded));
    }

    [Fact]
    public void ValidationIsTheLastTenPercentOfTheStream()
    {
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => (char)('a' + i % 26))) + "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"; // 120 symbols
        var task = new CharTextTask(text, seqLen: 5);
        Assert.Equal(120, task.Encoded.Length);
        Assert.Equal(108, task.SplitIndex); // 120 − ⌊12⌋
        Assert.Equal(103, task.Train.Count);
        Assert.Equal(7, task.Validation.Count);
        using var val = task.Validation.All();
        int[] x = val.Inputs.ToArray<int>(), y = val.Targets.ToArray<int>();
        int emoji = task.Vocabulary.IndexOf(new Rune(0x1F600));
        Assert.All(x, v => Assert.Equal(emoji, v));
        Assert.All(y, v => Assert.Equal(emoji, v));
        // Nothing of the held-out part leaks into training: the last training target is symbol 107.
        using var lastTrain = task.Train.Gather([task.Train.Count - 1]);
        Assert.Equal(task.Encoded[107], lastTrain.Targets.ToArray<int>()[^1]);

        var rhyme = new CharTextTask(); // defaults: rhyme, 40, 10%
        Assert.Equal((102, 62, 0), (rhyme.SplitIndex, rhyme.Train.Count, rhyme.Validation.Count));
    }

    [Fact]
    public void TrainBatchesAreShuffledByTheRngLikeTheDataLoader()
    {
        var task = new CharTextTask(validationFraction: 0);
        var rng = new Rng(4);
        var batches = task.TrainBatches(rng).ToList();
        Assert.Equal([32, 32, 9], batches.Select(b => b.Count).ToArray());
        // Every window exactly once: identify each row with the one window it equals (the rhyme has no repeated 40-symbol run).
        using var all = task.Train.All();
        int[] allX = all.Inputs.ToArray<int>();
        var seen = new List<int>();
        foreach (var b in batches)
        {
            int[] bx = b.Inputs.ToArray<int>();
            for (int r = 0; r < b.Count; r++)
            {
                int[] row = bx[(r * 40)..(r * 40 + 40)];
                seen.Add(Enumerable.Range(0, 73).Single(i => allX.AsSpan(i * 40, 40).SequenceEqual(row)));
            }
        }
        Assert.Equal(Enumerable.Range(0, 73), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 73), seen); // shuffled
        var again = task.TrainBatches(new Rng(4)).ToList();
        Assert.True(batches.Zip(again).All(p => SameBatch(p.First, p.Second)));
        var nextEpoch = task.TrainBatches(rng).ToList();
        Assert.False(SameBatch(batches[0], nextEpoch[0]), "the next epoch has another order");
        foreach (var b in batches.Concat(again).Concat(nextEpoch)) b.Dispose();
    }

    [Fact]
    public void OneHotInputsForSeed002()
    {
        var task = new CharTextTask("abcabd", seqLen: 3, validationFraction: 0);
        using var batch = task.Train.All();
        using var oneHot = OneHot.Encode(batch.Inputs, task.VocabSize);
        Assert.Equal([3, 3, 4], oneHot.Shape.ToArray());
        float[] h = oneHot.ToArray<float>();
        int[] x = batch.Inputs.ToArray<int>();
        for (int i = 0; i < x.Length; i++)
            for (int c = 0; c < 4; c++) Assert.Equal(c == x[i] ? 1f : 0f, h[i * 4 + c]);
    }

    [Fact]
    public void TextFromAUtf8File()
    {
        string path = Path.Combine(Path.GetTempPath(), $"recurrent-gen-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(path, "ab😀c\nab😀c\n", new UTF8Encoding(true));
            var task = CharTextTask.FromFile(path, seqLen: 3, validationFraction: 0);
            Assert.Equal("ab😀c\nab😀c\n", task.Text); // the byte-order mark is not text
            Assert.Equal(5, task.VocabSize);
            File.WriteAllBytes(path, [0x61, 0xFF, 0x62]);
            Assert.ThrowsAny<DecoderFallbackException>(() => CharTextTask.FromFile(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TextTaskRejectsBadArguments()
    {
        AssertOutOfRange("seqLen", () => new CharTextTask(seqLen: 0));
        AssertOutOfRange("seqLen", () => new CharTextTask(seqLen: 102)); // the training part has 102 symbols
        _ = new CharTextTask(seqLen: 101);
        AssertOutOfRange("validationFraction", () => new CharTextTask(validationFraction: 1));
        AssertOutOfRange("validationFraction", () => new CharTextTask(validationFraction: -0.1));
        Assert.Throws<ArgumentException>(() => new CharTextTask(""));
        AssertOutOfRange("indices", () => new CharTextTask().Train.Gather([62]));
        AssertOutOfRange("batchSize", () => new CharTextTask().TrainBatches(new Rng(0), 0));
    }
}
