using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace TaskManagement.Auth.Identity;

/// <summary>At most <see cref="Bytes"/> bytes as UTF-8 (bcrypt's input limit is in bytes, not characters).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MaxUtf8BytesAttribute(int bytes) : ValidationAttribute
{
    public int Bytes { get; } = bytes;

    public override bool IsValid(object? value) => value is not string text || Encoding.UTF8.GetByteCount(text) <= Bytes;

    public override string FormatErrorMessage(string name) => string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Bytes);
}
