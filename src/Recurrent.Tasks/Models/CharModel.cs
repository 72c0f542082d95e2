// Seed 004's CharLSTM (seed 002's embedding → LSTM → output model): Embedding (or one-hot) → RNN/LSTM/GRU → Linear on every step, and sampling.
using Recurrent.Nn;
using Recurrent.Tasks.Data;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Models;

/// <summary>
/// nn.Embedding(vocab, embed_dim) → nn.LSTM(embed_dim, hidden_dim, batch_first=True) (or RNN, GRU) → nn.Linear(hidden_dim,
/// vocab): int32 [B, T] indices → logits [B, T, vocab], as seed 004's CharLSTM. Parameters are drawn in its order
/// (embed, recurrent layer, fc) from one forked stream.
/// <para>
/// <c>embedDim</c> 0 feeds one-hot vectors instead (seed 002's encoding; the recurrent layer's input size is then the
/// vocabulary size and there is no embed.* parameter). <c>dropout</c> is nn.LSTM's dropout between stacked layers.
/// </para>
/// </summary>
public sealed class CharModel
{
    public CharModel(string model, int vocabSize, int embedDim, int hiddenSize, Rng rng, Device device, int layers = 1, double dropout = 0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Arg.Positive(vocabSize, nameof(vocabSize));
        Arg.NotNegative(embedDim, nameof(embedDim));
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1)");
        var options = new RecurrentOptions { BatchFirst = true, NumLayers = layers, Dropout = dropout };
        Rng init = rng.Fork(1);
        Embed = embedDim > 0 ? new Embedding(vocabSize, embedDim, rng: init, device: device) : null;
        int input = embedDim > 0 ? embedDim : vocabSize;
        Recurrent = model switch
        {
            "rnn" => new Rnn(input, hiddenSize, options, init, device),
            "lstm" => new Lstm(input, hiddenSize, options, init, device),
            "gru" => new Gru(input, hiddenSize, options, init, device),
            _ => throw new ArgumentException($"model must be rnn, lstm or gru; got '{model}'", nameof(model)),
        };
        Head = new Linear(hiddenSize, vocabSize, true, init, device);
        Model = model;
        VocabSize = vocabSize;
    }

    public string Model { get; }
    public int VocabSize { get; }

    /// <summary>The embedding, or null when the inputs are one-hot vectors.</summary>
    public Embedding? Embed { get; }
    public RecurrentLayer Recurrent { get; }
    public Linear Head { get; }

    /// <summary>state_dict names as the notebook's CharLSTM has them: embed.*, lstm.* (rnn.*, gru.*), fc.*.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        (Embed?.NamedParameters() ?? []).Select(p => ($"embed.{p.Name}", p.Parameter))
            .Concat(Recurrent.NamedParameters().Select(p => ($"{Model}.{p.Name}", p.Parameter)))
            .Concat(Head.NamedParameters().Select(p => ($"fc.{p.Name}", p.Parameter)));

    public bool Training
    {
        get => Recurrent.Training;
        set => Recurrent.Training = value;
    }

    /// <summary>indices: int32 [B, T] → logits [B, T, vocab] (the head's buffer, overwritten by the next Forward).</summary>
    public Tensor Forward(Tensor indices)
    {
        using Tensor embedded = Input(indices); // the batch-first layer copies it into its own time-first buffer
        return Head.Forward(Recurrent.Forward(embedded).Output);
    }

    /// <summary>int32 [B, T] → [B, T, embed] (the embedding) or [B, T, vocab] (one-hot, built on the host then moved to the device).</summary>
    private Tensor Input(Tensor indices)
    {
        if (Embed is not null)
        {
            if (Embed.Device.SharesMemoryWith(indices.Device)) return Embed.Forward(indices);
            using var onDevice = indices.To(Embed.Device); // host indices (sampling): the gather reads them on the device
            return Embed.Forward(onDevice);
        }
        Device device = Recurrent.Device;
        if (!indices.Device.SharesMemoryWith(Device.Cpu))
        {
            // Indices already on the device (a training batch): one-hot rows are rows of the identity, gathered there.
            _identity ??= Identity(VocabSize, device);
            int[] shape = [.. indices.Shape.ToArray(), VocabSize];
            var rows = Tensor.Zeros(shape, DType.Float32, device);
            device.EmbeddingGather(_identity, indices.Reshape(-1), rows.Reshape(-1, VocabSize));
            return rows;
        }
        Tensor oneHot = OneHot.Encode(indices, VocabSize);
        if (device.SharesMemoryWith(oneHot.Device)) return oneHot;
        using (oneHot) return oneHot.To(device);
    }

    private Tensor? _identity; // [vocab, vocab] on the device, for one-hot inputs whose indices live there

    private static Tensor Identity(int n, Device device)
    {
        var eye = new float[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1;
        return Tensor.From<float>(eye, [n, n], device);
    }

    /// <summary>d(loss)/d(logits) → accumulates every parameter's gradient.</summary>
    public void Backward(Tensor dLogits)
    {
        Tensor dHidden = Head.Backward(dLogits);
        // One-hot input is data: only an embedding needs the input's gradient.
        var dInput = Recurrent.Backward(dHidden, inputGradient: Embed is not null).DInput;
        if (Embed is not null) Embed.Backward(dInput!);
    }

    public void ZeroGrad()
    {
        Embed?.ZeroGrad();
        Recurrent.ZeroGrad();
        Head.ZeroGrad();
    }

    /// <summary>
    /// Seed 004's generate_text: starting from a fresh (zero) state, feed the prime's LAST symbol only (the notebook's
    /// model(x[:, -1:], hidden) with hidden=None), draw the next symbol from softmax(logits / temperature), feed it back,
    /// <paramref name="length"/> times. With <paramref name="warmUp"/> the rest of the prime is read first to build the
    /// state (what one would expect "prime" to mean; the notebook does not do it). Temperature 0 takes the argmax.
    /// Returns the prime followed by the generated symbols, as the notebook's "".join(chars_out).
    /// <paramref name="emit"/>, when given, receives each generated symbol as soon as it is drawn (for streaming; it may
    /// throw to stop, e.g. on cancellation).
    /// </summary>
    public int[] Sample(ReadOnlySpan<int> prime, int length, double temperature, Rng rng, bool warmUp = false, Action<int>? emit = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (prime.Length == 0) throw new ArgumentException("prime must have at least one symbol", nameof(prime));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!(temperature >= 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be finite and ≥ 0");
        bool training = Training;
        Training = false;
        var output = new List<int>(prime.Length + length);
        foreach (int p in prime) output.Add(p);
        Tensor? h = null, c = null;
        try
        {
            if (warmUp && prime.Length > 1)
            {
                using var head = Tensor.From(prime[..^1].ToArray(), 1, prime.Length - 1);
                using var embedded = Input(head);
                var r = Recurrent.Forward(embedded);
                (h, c) = (r.HN.Clone(), r.CN?.Clone());
            }
            int last = prime[^1];
            var probabilities = new double[VocabSize];
            for (int i = 0; i < length; i++)
            {
                using var x = Tensor.From(new[] { last }, 1, 1);
                using var embedded = Input(x);
                var r = Recurrent.Forward(embedded, h, c);
                Tensor hNext = r.HN.Clone();
                Tensor? cNext = r.CN?.Clone();
                h?.Dispose();
                c?.Dispose();
                (h, c) = (hNext, cNext);
                float[] logits = Head.Forward(r.Output).ToArray<float>(); // [1, 1, vocab]
                last = Draw(logits, temperature, rng, probabilities);
                output.Add(last);
                emit?.Invoke(last);
            }
        }
        finally
        {
            h?.Dispose();
            c?.Dispose();
            Training = training;
        }
        return output.ToArray();
    }

    /// <summary>torch.multinomial(softmax(z / T), 1): inverse CDF of one uniform draw; argmax when T = 0.</summary>
    private static int Draw(float[] logits, double temperature, Rng rng, double[] p)
    {
        int argmax = 0;
        for (int k = 1; k < logits.Length; k++) if (logits[k] > logits[argmax]) argmax = k;
        if (temperature == 0) return argmax;
        double max = logits[argmax], sum = 0;
        for (int k = 0; k < logits.Length; k++) sum += p[k] = Math.Exp((logits[k] - max) / temperature);
        double u = rng.NextDouble() * sum;
        for (int k = 0; k < logits.Length; k++)
        {
            u -= p[k];
            if (u < 0) return k;
        }
        return argmax; // rounding left u ≥ 0 after the last term
    }
}
