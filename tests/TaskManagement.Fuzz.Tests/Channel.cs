namespace TaskManagement.Fuzz.Tests;

public enum Channel
{
    Direct,
    Gateway,
}
