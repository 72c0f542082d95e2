// The built-in text corpus: seed 004's toy nursery rhyme, character for character.
namespace Recurrent.Tasks.Data.Corpus;

public static class BuiltInCorpus
{
    /// <summary>
    /// Seed 004's `text` (4 lines, each ending in "\n", 113 characters, 30 distinct). Written with escapes, not a
    /// verbatim literal, so the line endings are "\n" whatever git does to the file on checkout.
    /// </summary>
    public const string NurseryRhyme =
        "Twinkle, twinkle, little star,\n" +
        "How I wonder what you are!\n" +
        "Up above the world so high,\n" +
        "Like a diamond in the sky.\n";
}
