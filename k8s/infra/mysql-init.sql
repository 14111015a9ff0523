-- EXAMPLE-ONLY passwords (kind/k3d). Same values as k8s/base secretGenerator auth-db / tasks-db.
CREATE DATABASE IF NOT EXISTS `auth` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS `tasks` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'auth_svc'@'%' IDENTIFIED BY 'EXAMPLE-ONLY-change-me';
CREATE USER IF NOT EXISTS 'tasks_svc'@'%' IDENTIFIED BY 'EXAMPLE-ONLY-change-me';
GRANT ALL PRIVILEGES ON `auth`.* TO 'auth_svc'@'%';
GRANT ALL PRIVILEGES ON `tasks`.* TO 'tasks_svc'@'%';
FLUSH PRIVILEGES;
