namespace TaskManagement.Fuzz.Tests;

public enum Service
{
    Auth,
    Tasks,
}
