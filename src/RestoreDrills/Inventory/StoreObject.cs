namespace RestoreDrills.Inventory;

/// <summary>One blob under a server's folder, named relative to it ("base/20261125T211756/data.tar.gz").</summary>
public sealed record StoreObject(string Name, long Size, DateTimeOffset LastModified);
