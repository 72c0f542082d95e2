// The one error a malformed safetensors file raises: what is wrong, and where (file, byte, tensor).
namespace Recurrent.Nn.Checkpoints;

/// <summary>
/// A file (or buffer) that is not valid safetensors: bad header length, bad JSON, unknown dtype, offsets that overlap,
/// leave holes or run past the end, and so on. The message is one line, so a command can print it as it is.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string message) : base(OneLine(message)) { }

    public SafetensorsFormatException(string message, Exception inner) : base(OneLine(message), inner) { }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
