namespace RestoreDrills.Tests.Support;

/// <summary>An image a test needs on the engine (./scripts/test builds the project's): ignored without it here, failed in CI.</summary>
public static class LocalImage
{
    public static async Task RequireAsync(string image) =>
        BuildServer.Require(await DockerEngine.HasImageAsync(image, CancellationToken.None), $"the image {image}");
}
