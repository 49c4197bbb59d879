// SPDX-License-Identifier: GPL-2.0-only
/* pthread_rwlock_wrlock-stack: the -stack script's name for pthread_rwlock_wrlock --stack. */
int pthread_rwlock_wrlock_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return pthread_rwlock_wrlock_main(argc, argv);
}
