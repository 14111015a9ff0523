namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>Shared image-tag rule: explicit tag or digest, never latest.</summary>
internal static class ImageRules
{
    public static void AssertPinned(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return; // digest
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.IndexOf(':', StringComparison.Ordinal);
        Assert.True(colon > 0, $"image {image} has no tag");
        var tag = lastSegment[(colon + 1)..];
        Assert.False(string.Equals(tag, "latest", StringComparison.OrdinalIgnoreCase), $"image {image} uses latest");
        Assert.False(string.IsNullOrWhiteSpace(tag), $"image {image} has an empty tag");
    }
}
