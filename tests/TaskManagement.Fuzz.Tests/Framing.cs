namespace TaskManagement.Fuzz.Tests;

/// <summary>How the body is framed on the wire.</summary>
public enum Framing
{
    Normal,
    NoLength,
    ShortLength,
    LongLength,
    DuplicateLength,
    BadLength,
    Chunked,
    BadChunked,
    LengthAndChunked,
}
