namespace RestoreDrills.Configuration;

/// <summary>
/// barman's destinationPath split into what the Azure SDK needs: the blob endpoint and the container.
/// Real account: https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;;
/// emulator (Azurite): http://host:port/&lt;account&gt;/&lt;container&gt;.
/// </summary>
public sealed record StoreAddress(string DestinationPath, string BlobEndpoint, string Account, string Container)
{
    public static StoreAddress Parse(string destinationPath, string settingName)
    {
        string Fail(string why) => throw new RestoreDrills.Failures.InvalidSettingException(
            $"{settingName}='{destinationPath}' {why}: use https://<account>.blob.core.windows.net/<container> or http://host:port/<account>/<container>");

        if (!Uri.TryCreate(destinationPath.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            Fail("is not an http(s) URL");
        var segments = uri!.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var root = $"{uri.Scheme}://{uri.Authority}";
        if (uri.Host.EndsWith(".blob.core.windows.net", StringComparison.OrdinalIgnoreCase))
        {
            if (segments.Length != 1) Fail("must name exactly one container after the account's host");
            return new StoreAddress(destinationPath.TrimEnd('/'), root, uri.Host.Split('.')[0], segments[0]);
        }
        if (segments.Length != 2) Fail("must name the account and one container (emulator form)");
        return new StoreAddress(destinationPath.TrimEnd('/'), $"{root}/{segments[0]}", segments[0], segments[1]);
    }
}
