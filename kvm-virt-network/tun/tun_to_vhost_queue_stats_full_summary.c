// SPDX-License-Identifier: GPL-2.0-only
/* tun_to_vhost_queue_stats_full_summary: the original's later name for tun_to_vhost_queue_stats_details. */
int tun_to_vhost_queue_stats_details_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return tun_to_vhost_queue_stats_details_main(argc, argv);
}
