-- The runbook's proof table and its five canonical rows, exactly as the manual restore check defines them:
-- after a restore, `SELECT * FROM backup_test` must show these five names.
CREATE TABLE backup_test (
    id SERIAL PRIMARY KEY,
    name VARCHAR(100),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO backup_test (name) VALUES
    ('test_user_amine'),
    ('backup_validation_data'),
    ('restore_test_entry'),
    ('working_backup_system'),
    ('clean_storage_success');
