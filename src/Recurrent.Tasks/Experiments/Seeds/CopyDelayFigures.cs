// Figures of the copy-delay experiment (placeholder until the SVG module lands): none yet.
namespace Recurrent.Tasks.Experiments;

internal static class CopyDelayFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory) => [];
}
