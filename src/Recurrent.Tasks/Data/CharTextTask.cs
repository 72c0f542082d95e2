// Seeds 002 and 004: character-level language modelling — vocabulary, encoded stream, next-character windows, splits.
using System.Text;
using Recurrent.Tasks.Data.Corpus;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// A text as a character-level next-symbol task, as seed 004's CharDataset: the vocabulary is sorted(set(text))
/// (<see cref="CharVocabulary"/>, Unicode scalar values, so non-BMP characters are single symbols), the text is
/// encoded as one int32 stream, and window i is (stream[i … i+seq_len−1], stream[i+1 … i+seq_len]) for every
/// start i (stride 1, len − seq_len windows), int32 [B, seq_len] inputs for an Embedding and int32 [B, seq_len]
/// class-index targets for cross-entropy (<see cref="OneHot.Encode"/> gives seed 002's one-hot inputs).
/// <para>
/// Validation split: the last <c>validationFraction</c> of the stream (⌊fraction·len⌋ symbols, 10% by default) is cut
/// off before windowing, so no validation target is ever a training input or target. Windows never cross the cut,
/// so each part yields (part length − seq_len) windows and a part not longer than seq_len yields none. The notebook
/// has no validation split: its 113-character rhyme with seq_len 40 gives 73 windows; with the default 10% the
/// training part is 102 characters (62 windows) and the 11-character validation part has no window — pass
/// validationFraction 0 to reproduce the notebook exactly.
/// </para>
/// <para>
/// <c>stride</c> (1 as the notebook) spaces the window starts: window i starts at i·stride; stride = seq_len gives
/// non-overlapping windows, so an epoch reads each symbol once instead of seq_len times (char-rnn's batching).
/// </para>
/// Seed 002 loads "the dataset file" (not named; <see cref="FromFile"/>), one-hot encodes, and mentions an embedding
/// layer and an LSTM; its sequence length is not given, so the default here is seed 004's 40.
/// </summary>
public sealed class CharTextTask
{
    public const int NotebookSeqLen = 40, NotebookBatchSize = 32, NotebookEmbedDim = 32, NotebookHiddenDim = 64;
    public const string NotebookPrompt = "Twinkle, ";

    private readonly int[] _encoded;

    /// <param name="text">Any text; null = seed 004's nursery rhyme (<see cref="BuiltInCorpus.NurseryRhyme"/>).</param>
    /// <param name="seqLen">Window length (the notebook's 40).</param>
    /// <param name="validationFraction">The share of the stream, at its end, held out for validation: [0, 1).</param>
    /// <param name="stride">Symbols between consecutive window starts (1: every start, as the notebook).</param>
    public CharTextTask(string? text = null, int seqLen = NotebookSeqLen, double validationFraction = 0.1, int stride = 1)
    {
        text ??= BuiltInCorpus.NurseryRhyme;
        if (text.Length == 0) throw new ArgumentException("text must not be empty", nameof(text));
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"validationFraction must be in [0, 1); got {validationFraction}");
        Vocabulary = CharVocabulary.FromText(text);
        _encoded = Vocabulary.Encode(text);
        Text = text;
        int validation = (int)Math.Floor(validationFraction * _encoded.Length);
        SplitIndex = _encoded.Length - validation;
        if (SplitIndex < 2)
            throw new ArgumentException($"text must leave at least 2 symbols for training (a window of 1 and its target); " +
                $"it has {_encoded.Length} symbols and validationFraction {validationFraction} keeps {SplitIndex}", nameof(text));
        Arg.InRange(seqLen, 1, SplitIndex - 1, nameof(seqLen)); // at least one training window: seqLen + 1 symbols
        Arg.Positive(stride, nameof(stride));
        SeqLen = seqLen;
        Stride = stride;
        ValidationFraction = validationFraction;
        Train = new CharWindows(_encoded, 0, SplitIndex, seqLen, stride);
        Validation = new CharWindows(_encoded, SplitIndex, _encoded.Length - SplitIndex, seqLen, stride);
    }

    /// <summary>A UTF-8 text file (invalid UTF-8 is an error, not replaced); a leading byte-order mark is dropped.</summary>
    public static CharTextTask FromFile(string path, int seqLen = NotebookSeqLen, double validationFraction = 0.1, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new CharTextTask(ReadText(path), seqLen, validationFraction, stride);
    }

    /// <summary>A UTF-8 file's text: invalid UTF-8 throws (<see cref="DecoderFallbackException"/>), a leading byte-order mark is dropped.</summary>
    public static string ReadText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
    }

    public string Text { get; }
    public CharVocabulary Vocabulary { get; }
    public int VocabSize => Vocabulary.Size;
    public int SeqLen { get; }
    public int Stride { get; }
    public double ValidationFraction { get; }

    /// <summary>The whole text, one index per symbol.</summary>
    public ReadOnlySpan<int> Encoded => _encoded;

    /// <summary>Symbols [0, SplitIndex) train, [SplitIndex, len) validate.</summary>
    public int SplitIndex { get; }

    public CharWindows Train { get; }
    public CharWindows Validation { get; }

    /// <summary>One epoch of shuffled training batches, as the notebook's DataLoader(shuffle=True, batch_size=32).</summary>
    public IEnumerable<SequenceBatch> TrainBatches(Rng rng, int batchSize = NotebookBatchSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Train.Batches(batchSize, rng);
    }
}

/// <summary>
/// The next-symbol windows of one part of an encoded stream, made on demand (a large corpus is never copied
/// seq_len times): example i = (part[s … s+L−1], part[s+1 … s+L]) with s = i·stride, both int32 [L].
/// </summary>
public sealed class CharWindows : ISequenceDataset
{
    private readonly int[] _stream;
    private readonly int _start, _length;

    internal CharWindows(int[] stream, int start, int length, int seqLen, int stride = 1)
    {
        _stream = stream;
        _start = start;
        _length = length;
        SeqLen = seqLen;
        Stride = stride;
    }

    public int SeqLen { get; }
    public int Stride { get; }

    /// <summary>Symbols in this part of the stream.</summary>
    public int SymbolCount => _length;

    /// <summary>Windows: ⌊(part length − seq_len − 1) / stride⌋ + 1 (part length − seq_len at stride 1), or 0 when the part is not longer than seq_len.</summary>
    public int Count => _length <= SeqLen ? 0 : (_length - SeqLen - 1) / Stride + 1;

    public ReadOnlySpan<int> Symbols => _stream.AsSpan(_start, _length);

    public SequenceBatch Gather(ReadOnlySpan<int> indices)
    {
        int n = indices.Length, l = SeqLen;
        Arg.CountFits(Math.Max(1, n), l, nameof(indices));
        var x = new int[n * l];
        var y = new int[n * l];
        for (int k = 0; k < n; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"indices[{k}] must be in [0, {Count - 1}]; got {i}");
            int s = _start + i * Stride;
            _stream.AsSpan(s, l).CopyTo(x.AsSpan(k * l, l));
            _stream.AsSpan(s + 1, l).CopyTo(y.AsSpan(k * l, l));
        }
        return new SequenceBatch(Tensor.From(x, n, l), Tensor.From(y, n, l));
    }

    /// <summary>All windows in order, as one batch.</summary>
    public SequenceBatch All()
    {
        var rows = new int[Count];
        for (int i = 0; i < rows.Length; i++) rows[i] = i;
        return Gather(rows);
    }
}
