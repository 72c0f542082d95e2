// The options of Rnn, Lstm and Gru, named and defaulted as PyTorch's nn.RNN/LSTM/GRU.
namespace Recurrent.Nn;

public enum CellKind
{
    Rnn,
    Lstm,
    Gru,
}

public enum Nonlinearity
{
    Tanh,
    Relu,
}

public sealed record RecurrentOptions
{
    public int NumLayers { get; init; } = 1;
    public bool Bias { get; init; } = true;

    /// <summary>Input and output are [B, T, F] instead of [T, B, F]; states stay [L·D, B, H] as in PyTorch.</summary>
    public bool BatchFirst { get; init; }

    /// <summary>Dropout on the outputs of every layer but the last, in training mode only.</summary>
    public double Dropout { get; init; }

    public bool Bidirectional { get; init; }

    /// <summary>Rnn only: tanh (default) or relu.</summary>
    public Nonlinearity Nonlinearity { get; init; } = Nonlinearity.Tanh;

    /// <summary>Lstm only: project h to this size with weight_hr (0 = no projection).</summary>
    public int ProjSize { get; init; }
}
