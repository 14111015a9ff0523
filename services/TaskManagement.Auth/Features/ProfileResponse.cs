namespace TaskManagement.Auth.Features;

public sealed record ProfileResponse(Guid UserId, string Username, DateTimeOffset CreatedAt);
