// What a character-level model checkpoint carries besides its weights: the hyper-parameters and the vocabulary, as JSON metadata.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Recurrent.Nn.Checkpoints;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Cli.Training;

/// <summary>
/// The configuration of a `recurrent train` run, stored as JSON under the metadata key "config" of both files it
/// writes (the best model and the resumable state), so `recurrent sample` needs nothing but the file, and a resumed
/// run can check that it continues the same run. The vocabulary is the sorted distinct characters of the text, as
/// one string (CharVocabulary's order: by code point).
/// </summary>
public sealed record CharLmConfig
{
    public const string Kind = "char-lm", MetadataKey = "config";
    public static readonly string[] Models = ["lstm", "gru", "rnn"];

    [JsonPropertyName("kind")] public string KindName { get; init; } = Kind;
    public string Model { get; init; } = "lstm";
    public int Hidden { get; init; }
    public int Layers { get; init; } = 1;

    /// <summary>Embedding size; 0 feeds one-hot vectors.</summary>
    public int Embedding { get; init; }

    public double Dropout { get; init; }
    public string Vocabulary { get; init; } = "";

    /// <summary>The text's first character: what `sample` starts from when given no --prime.</summary>
    public string Start { get; init; } = "";

    public int SeqLen { get; init; }
    public int Stride { get; init; } = 1;
    public int Batch { get; init; }
    public double Lr { get; init; }
    public double Clip { get; init; }
    public double ValFraction { get; init; }
    public ulong Seed { get; init; }
    public string Text { get; init; } = "";
    public string TextSha256 { get; init; } = "";
    public int Threads { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public CharVocabulary VocabularyObject() => CharVocabulary.FromText(Vocabulary);

    /// <summary>A fresh model of this shape (weights drawn from <see cref="Seed"/>, as the first epoch starts from).</summary>
    public CharModel NewModel(Device device)
    {
        var model = new CharModel(Model, VocabularyObject().Size, Embedding, Hidden, new Rng(Seed), device, Layers, Dropout);
        return model;
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The configuration stored in a checkpoint's metadata, checked field by field; a file without one, or with one
    /// that does not describe a model, is a <see cref="CheckpointException"/> naming <paramref name="source"/>.
    /// </summary>
    public static CharLmConfig FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(MetadataKey, out string? json))
            throw new CheckpointException($"{source} is not a `recurrent train` checkpoint: its metadata has no '{MetadataKey}' (the model's hyper-parameters and vocabulary)");
        CharLmConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<CharLmConfig>(json, Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{source}: metadata '{MetadataKey}' is not a valid configuration: {e.Message}");
        }
        if (config is null) throw new CheckpointException($"{source}: metadata '{MetadataKey}' is null");
        string? problem = config.Problem();
        if (problem is not null) throw new CheckpointException($"{source}: metadata '{MetadataKey}' {problem}");
        return config;
    }

    /// <summary>What is wrong with a configuration read from a file, or null.</summary>
    private string? Problem()
    {
        if (KindName != Kind) return $"has kind '{KindName}'; expected '{Kind}'";
        if (!Models.Contains(Model)) return $"has model '{Model}'; expected lstm, gru or rnn";
        if (Hidden is < 1 or > 65536) return $"has hidden {Hidden}; expected 1..65536";
        if (Layers is < 1 or > 64) return $"has layers {Layers}; expected 1..64";
        if (Embedding is < 0 or > 65536) return $"has embedding {Embedding}; expected 0..65536";
        if (!(Dropout >= 0 && Dropout < 1)) return $"has dropout {Dropout.ToString(CultureInfo.InvariantCulture)}; expected [0, 1)";
        if (SeqLen < 1 || Stride < 1 || Batch < 1) return "has a sequence length, stride or batch below 1";
        CharVocabulary vocabulary;
        try
        {
            vocabulary = VocabularyObject();
        }
        catch (ArgumentException e)
        {
            return $"has a vocabulary that is not valid text: {e.Message}";
        }
        if (vocabulary.Size == 0) return "has an empty vocabulary";
        if (vocabulary.Decode(Enumerable.Range(0, vocabulary.Size).ToArray()) != Vocabulary)
            return "has a vocabulary that is not sorted distinct characters";
        if (Start.Length > 0 && !CharVocabulary.FromText(Start).Symbols.All(vocabulary.Contains)) return "has a start character outside its vocabulary";
        return null;
    }
}
