using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// Refuses text (checked trimmed, as stored) holding what a reader cannot see: C0/C1 controls (NUL included), broken
/// surrogate pairs and, unless <see cref="AllowLayout"/> allows the layout a description legitimately has (tab, line
/// breaks, format characters), format characters such as U+200B–U+200D, U+2060, U+FEFF and bidi controls, and
/// line/paragraph separators. A zero-width joiner between two symbols stays allowed in titles: it is how emoji such as
/// 👩‍💻 are spelt.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class VisibleTextAttribute : ValidationAttribute
{
    public bool AllowLayout { get; init; }

    public override bool IsValid(object? value) => value is not string text || IsVisible(text.Trim(), AllowLayout);

    private static bool IsVisible(string text, bool layout)
    {
        var rest = text.AsSpan();
        var previous = default(Rune);
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            rest = rest[consumed..];
            var allowed = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => layout && rune.Value is '\t' or '\n' or '\r',
                UnicodeCategory.Format => layout || (rune.Value == 0x200D && JoinsEmoji(previous, rest)),
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => layout,
                _ => true,
            };
            if (!allowed)
            {
                return false;
            }

            previous = rune;
        }

        return true;
    }

    // An emoji ZWJ sequence: a symbol (or its skin-tone modifier / emoji presentation selector), ZWJ, a symbol.
    private static bool JoinsEmoji(Rune previous, ReadOnlySpan<char> next) =>
        (previous.Value == 0xFE0F || Rune.GetUnicodeCategory(previous) is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol)
        && Rune.DecodeFromUtf16(next, out var following, out _) == OperationStatus.Done
        && Rune.GetUnicodeCategory(following) == UnicodeCategory.OtherSymbol;
}
