using RestoreDrills.Platforms.Containers;

namespace RestoreDrills.Tests.Support;

/// <summary>An image a test needs on the engine (./scripts/test builds the project's): ignored without it here, failed in CI.</summary>
public static class LocalImage
{
    public static async Task RequireAsync(string image)
    {
        try
        {
            await DockerEngine.DescribeImageAsync(image, CancellationToken.None);
        }
        catch (Docker.DotNet.DockerImageNotFoundException)
        {
            BuildServer.Require(false, $"the image {image}");
        }
    }
}
