namespace TaskManagement.Auth.Features;

public sealed record VerifyResponse(bool Valid, Guid UserId, string Username);
