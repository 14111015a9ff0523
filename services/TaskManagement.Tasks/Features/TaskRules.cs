using System.Buffers;
using System.Globalization;
using System.Text;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Tasks.Features;

/// <summary>The field rules of a task, shared by create, replace and patch.</summary>
public static class TaskRules
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 2000;

    /// <summary>Trims the title and checks it; returns the trimmed value.</summary>
    public static string? Title(string? title, ValidationErrors errors)
    {
        var trimmed = title?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add("title", "Title is required and cannot be blank.");
            return null;
        }

        errors.AddIf(trimmed.Length > TitleMaxLength, "title", $"Title must be at most {TitleMaxLength} characters.");
        errors.AddIf(
            !IsVisibleText(trimmed, layout: false),
            "title",
            "Title cannot contain control characters, line breaks or invisible characters (zero-width spaces, joiners, direction marks, byte order marks).");
        return trimmed;
    }

    /// <summary>Trims the description; an empty one becomes null. Tabs and line breaks are fine, other controls are not.</summary>
    public static string? Description(string? description, ValidationErrors errors)
    {
        var trimmed = description?.Trim();
        errors.AddIf(trimmed?.Length > DescriptionMaxLength, "description", $"Description must be at most {DescriptionMaxLength} characters.");
        errors.AddIf(
            trimmed is not null && !IsVisibleText(trimmed, layout: true),
            "description",
            "Description cannot contain control characters other than tab and line breaks.");
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>
    /// False for text holding what a reader cannot see: C0/C1 controls (NUL included), broken surrogate pairs and,
    /// unless <paramref name="layout"/> allows the layout a description legitimately has (tab, line breaks, format
    /// characters), format characters such as U+200B–U+200D, U+2060, U+FEFF and bidi controls, and line/paragraph
    /// separators. A zero-width joiner between two symbols stays allowed in titles: it is how emoji such as 👩‍💻 are spelt.
    /// </summary>
    private static bool IsVisibleText(string text, bool layout)
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
