using Docker.DotNet;
using DotNet.Testcontainers.Configurations;

namespace RestoreDrills.Platforms.Containers;

/// <summary>Direct access to the engine Testcontainers uses, for what Testcontainers does not do (sweeps, image ids).</summary>
public static class DockerEngine
{
    public static DockerClient CreateClient()
    {
        // The same endpoint (and DOCKER_API_VERSION) Testcontainers uses.
        var builder = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(Guid.Empty);
        if (Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is { } v && Version.TryParse(v, out var version))
            builder = builder.WithApiVersion(version);
        return builder.Build();
    }

    /// <summary>Whether the engine holds <paramref name="image"/> (built or pulled before); nothing is pulled.</summary>
    public static async Task<bool> HasImageAsync(string image, CancellationToken ct)
    {
        try
        {
            await DescribeImageAsync(image, ct);
            return true;
        }
        catch (Docker.DotNet.DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The image's id and, when it came from a registry, its digest: what exactly ran, for the report.</summary>
    public static async Task<string> DescribeImageAsync(string image, CancellationToken ct)
    {
        using var client = CreateClient();
        var inspect = await client.Images.InspectImageAsync(image, ct);
        var digest = inspect.RepoDigests?.FirstOrDefault();
        return digest is null ? $"{image} ({inspect.ID})" : $"{image} ({digest})";
    }
}
