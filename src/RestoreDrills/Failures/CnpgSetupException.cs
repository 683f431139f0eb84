namespace RestoreDrills.Failures;

/// <summary>
/// The drill could not do its work for a reason that says nothing about the backup (the API unreachable, the
/// source not found, a secret the operator should have made missing): reported as broken, not as a verdict.
/// </summary>
public sealed class CnpgSetupException(string message, Exception? inner = null)
    : Exception(RestoreDrills.Secrets.SecretMasker.Apply(message), inner);
