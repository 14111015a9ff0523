using System.ComponentModel.DataAnnotations;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// A text's length as it is stored, after trimming: a title of 200 characters between spaces is accepted. Derived from
/// <see cref="MaxLengthAttribute"/> so the OpenAPI document states the limit (<c>maxLength</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TrimmedMaxLengthAttribute(int length) : MaxLengthAttribute(length)
{
    public override bool IsValid(object? value) => value is not string text || text.Trim().Length <= Length;
}
