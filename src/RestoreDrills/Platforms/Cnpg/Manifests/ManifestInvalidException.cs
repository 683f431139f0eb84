namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>A manifest the API server would reject: its message lists each problem with the field's path.</summary>
public sealed class ManifestInvalidException(string message) : Exception(message);
